/**
 * The YAML of an object for the YAML view, with Secret values hidden unless the user reveals
 * one key, and a line highlighter that paints keys/strings/numbers through theme roles.
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../kube/types.js';
import { paint, type Theme } from './theme.js';
import { sanitize } from './sanitize.js';

export const HIDDEN = '<hidden>';

/** Object → YAML lines; for a Secret, data/stringData values are hidden except `reveal`. */
export function objectYaml(obj: KubeObject, reveal?: string): string[] {
  let o: KubeObject = obj;
  if (obj.kind === 'Secret') {
    const hide = (m: Record<string, string> | undefined, decode: boolean) =>
      m && Object.fromEntries(Object.entries(m).map(([k, v]) => [k, k === reveal ? (decode ? `${Buffer.from(v, 'base64').toString('utf8')}` : v) : HIDDEN]));
    o = { ...obj, data: hide(obj.data, true), stringData: hide(obj.stringData, false) };
    if (!o.data) delete o.data;
    if (!o.stringData) delete o.stringData;
    // The last-applied annotation would carry the data in clear.
    const ann = { ...(obj.metadata.annotations ?? {}) };
    if (ann['kubectl.kubernetes.io/last-applied-configuration']) ann['kubectl.kubernetes.io/last-applied-configuration'] = HIDDEN;
    o.metadata = { ...obj.metadata, annotations: Object.keys(ann).length ? ann : undefined } as KubeObject['metadata'];
    if (!o.metadata.annotations) delete o.metadata.annotations;
  }
  return stringify(o, { lineWidth: 0 }).trimEnd().split('\n');
}

/** The secret keys in reveal order (data first, then stringData). */
export function secretKeys(obj: KubeObject): string[] {
  if (obj.kind !== 'Secret') return [];
  return [...Object.keys(obj.data ?? {}), ...Object.keys(obj.stringData ?? {})];
}

const LINE = /^(\s*)(- )?([^\s:#'"][^:#]*?|"[^"]*"|'[^']*'):(\s+(.*))?$/;

/** One YAML line → tagged text (every fragment sanitised). */
export function highlightYaml(line: string, theme: Theme): string {
  if (/^\s*#/.test(line)) return paint(theme, 'yamlComment', sanitize(line));
  const m = LINE.exec(line);
  if (!m) {
    const item = /^(\s*- )(.*)$/.exec(line);
    if (item) return sanitize(item[1]) + scalar(item[2]!, theme);
    return sanitize(line);
  }
  const [, indent, dash = '', key, , value] = m;
  return sanitize(indent! + dash) + paint(theme, 'yamlKey', sanitize(key)) + ':' + (value !== undefined ? ' ' + scalar(value, theme) : '');
}

function scalar(v: string, theme: Theme): string {
  if (v === HIDDEN) return paint(theme, 'muted', sanitize(v));
  if (/^-?\d+(\.\d+)?$/.test(v) || v === 'true' || v === 'false' || v === 'null') return paint(theme, 'yamlNumber', sanitize(v));
  if (v === '|' || v === '|-' || v === '>' || v === '>-' || v === '{}' || v === '[]') return sanitize(v);
  return paint(theme, 'yamlString', sanitize(v));
}

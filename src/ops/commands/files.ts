/** apply -f FILE|DIR and create -f FILE|DIR: YAML/JSON documents → create or server-side apply steps. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { collectionPathOf, objectPathOf, type Step } from '../plan.js';
import { OpsInputError } from './errors.js';
import { list, parseArgs, str } from './tokens.js';
import { json, makeStep, namespaceFor, rolloutVerify, targetOf, type OpsEnv } from './env.js';
import { kustomize } from './kustomize.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Doc { file: string; index: number; obj: any }

/** Parses YAML text into objects; errors name the file, line and column. */
export function parseDocs(text: string, file: string): Doc[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { prettyErrors: false, lineCounter });
  const out: Doc[] = [];
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((d, index) => {
    const err = d.errors[0];
    if (err) {
      const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
      const where = pos ? `line ${pos.line}, column ${pos.col}` : 'unknown position';
      throw new OpsInputError(`${file}: invalid YAML at ${where}: ${err.message.split('\n')[0]}`);
    }
    const obj = d.toJS();
    if (obj === null || obj === undefined) return; // empty document between ---
    if (typeof obj !== 'object' || Array.isArray(obj)) throw new OpsInputError(`${file}: document ${index + 1} is not an object`);
    if (obj.kind === 'List' && Array.isArray(obj.items)) {
      obj.items.forEach((it: unknown, j: number) => out.push({ file, index: index * 1000 + j, obj: it }));
      return;
    }
    out.push({ file, index, obj });
  });
  return out;
}

export const DEFAULT_APPLY_LIMITS = { maxBytes: 10 * 1024 * 1024, maxDocs: 10_000 };

/**
 * A file's text, read only if it is within the limits and looks like text: a huge file is
 * refused by its size before any byte is read; a binary one (NUL bytes, not UTF-8) says so
 * with its size instead of a parser error the length of the file.
 */
function readLimited(file: string, name: string, limits: { maxBytes: number }, total: { bytes: number }): string {
  const size = statSync(file).size;
  if (total.bytes + size > limits.maxBytes) throw new OpsInputError(`${name}: ${size} bytes is more than apply reads (${limits.maxBytes} bytes in all, ops.maxApplyBytes)`);
  const buf = readFileSync(file);
  const head = buf.subarray(0, 8192);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    text = '';
  }
  if (head.includes(0) || (text === '' && buf.length > 0)) throw new OpsInputError(`${name}: not a YAML/JSON file (${size} bytes of binary data)`);
  return text;
}

export function readDocs(env: OpsEnv, paths: string[], command: string): Doc[] {
  if (paths.length === 0) throw new OpsInputError(`${command}: give a file or directory with -f`);
  const limits = env.limits ?? DEFAULT_APPLY_LIMITS;
  const total = { bytes: 0 };
  const docs: Doc[] = [];
  for (const p of paths) {
    const full = resolve(env.cwd, p);
    if (!existsSync(full)) throw new OpsInputError(`${command}: the path "${p}" does not exist`);
    const st = statSync(full);
    if (!st.isDirectory() && !st.isFile()) throw new OpsInputError(`${command}: "${p}" is not a regular file (a device, FIFO or socket); give a YAML/JSON file or a directory`);
    const files = st.isDirectory()
      ? readdirSync(full).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(full, f)).filter((f) => statSync(f).isFile())
      : [full];
    if (files.length === 0) throw new OpsInputError(`${command}: no .yaml, .yml or .json files in "${p}"`);
    for (const f of files) {
      const name = f === full ? p : join(p, f.slice(full.length + 1));
      docs.push(...parseDocs(readLimited(f, name, limits, total), name));
      total.bytes += statSync(f).size;
      if (docs.length > limits.maxDocs) throw new OpsInputError(`${command}: more than ${limits.maxDocs} documents (ops.maxApplyDocs); split the input or raise the limit`);
    }
  }
  if (docs.length === 0) throw new OpsInputError(`${command}: no objects found in ${paths.join(', ')}`);
  return docs;
}

function checkDoc(d: Doc, command: string) {
  const o = d.obj;
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') throw new OpsInputError(`${d.file}: document ${d.index + 1} needs apiVersion and kind`);
  if (typeof o.metadata?.name !== 'string' || !o.metadata.name) {
    if (command === 'apply' || !o.metadata?.generateName) throw new OpsInputError(`${d.file}: ${o.kind} in document ${d.index + 1} has no metadata.name`);
  }
}

export async function applyOrCreate(env: OpsEnv, tokens: string[], command: 'apply' | 'create'): Promise<Step[]> {
  const a = parseArgs(tokens, { values: { filename: 'f', kustomize: 'k', 'field-manager': '' }, repeat: ['filename'], bools: { 'server-side': '', 'force-conflicts': '' } }, command);
  if (a.positionals.length > 0) {
    throw new OpsInputError(command === 'create'
      ? `create: only "create -f FILE" is supported here; use expose/autoscale or a YAML file (got '${a.positionals[0]}')`
      : `apply: unexpected argument '${a.positionals[0]}' (use -f FILE|DIR)`);
  }
  const kdir = str(a, 'kustomize');
  if (kdir !== undefined && list(a, 'filename').length) throw new OpsInputError(`${command}: use either -f or -k, not both`);
  const docs = kdir !== undefined ? kustomize(resolve(env.cwd, kdir)) : readDocs(env, list(a, 'filename'), command);
  if (docs.length === 0) throw new OpsInputError(`${command}: the kustomization in "${kdir}" has no resources`);
  const flagNs = str(a, 'namespace');
  const manager = str(a, 'field-manager') ?? env.fieldManager ?? 'kai-tui';
  const steps: Step[] = [];
  for (const d of docs) {
    checkDoc(d, command);
    const kind = env.kinds.forObject(d.obj.apiVersion, d.obj.kind);
    if (!kind) throw new OpsInputError(`${d.file}: the server doesn't have a resource type for ${d.obj.apiVersion} ${d.obj.kind}`);
    const obj = structuredClone(d.obj);
    let ns: string | undefined;
    if (kind.namespaced) {
      if (flagNs && obj.metadata.namespace && obj.metadata.namespace !== flagNs) throw new OpsInputError(`${d.file}: ${kind.kind} "${obj.metadata.name}" says namespace "${obj.metadata.namespace}", which does not match -n ${flagNs}`);
      ns = obj.metadata.namespace ?? namespaceFor(env, flagNs);
      obj.metadata.namespace = ns;
    } else delete obj.metadata.namespace;
    const t = targetOf(kind, obj.metadata.name ?? '', ns);
    const exists = command === 'apply' && obj.metadata.name ? (await env.client.getJson(objectPathOf(t))) !== undefined : false;
    if (command === 'create' || !exists) {
      steps.push(makeStep({ title: `create ${kind.resource}/${obj.metadata.name ?? obj.metadata.generateName + '…'}${ns ? ` in ${ns}` : ''}`, op: 'create', target: t,
        verify: kind.group === 'apps' ? rolloutVerify(kind) : kind.resource === 'pods' && !kind.group ? { kind: 'podReady' } : { kind: 'exists' },
        request: { method: 'POST', path: collectionPathOf(t), query: [['fieldManager', manager], ['fieldValidation', 'Strict']], contentType: 'application/json', body: json(obj) } }));
    } else {
      delete obj.status;
      steps.push(makeStep({ title: `apply ${kind.resource}/${obj.metadata.name}${ns ? ` in ${ns}` : ''}`, op: 'apply', target: t, verify: rolloutVerify(kind),
        request: { method: 'PATCH', path: objectPathOf(t), query: [['fieldManager', manager], ['fieldValidation', 'Strict'], ['force', 'true']], contentType: 'application/apply-patch+yaml', body: json(obj) } }));
    }
  }
  return steps;
}

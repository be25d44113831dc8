/**
 * ConfigMap and Secret validation as pkg/apis/core/validation does it: config keys, a key in both
 * data and binaryData, base64 data, the keys each typed Secret must carry (kubernetes.io/tls,
 * dockerconfigjson, dockercfg, basic-auth, ssh-auth, service-account-token), immutable `type`,
 * and the `immutable` flag.
 */
import type { StatusCause } from '../errors.js';
import type { KObj } from '../types.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const REDACTED = '<secret contents redacted>';

const req = (field: string): StatusCause => ({ reason: 'FieldValueRequired', message: 'Required value', field });
const inv = (field: string, value: string, detail: string): StatusCause => ({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${detail}`, field });
const forbidden = (field: string, detail: string): StatusCause => ({ reason: 'FieldValueForbidden', message: `Forbidden: ${detail}`, field });

function keys(data: J, field: string, other: J, otherName: string, out: StatusCause[]): void {
  for (const k of Object.keys(data ?? {})) {
    if (!/^[-._a-zA-Z0-9]+$/.test(k) || k.length > 253) out.push(inv(`${field}[${k}]`, k, KEY_MSG));
    if (other && Object.prototype.hasOwnProperty.call(other, k)) out.push(inv(`${field}[${k}]`, k, `duplicate of key present in ${otherName}`));
  }
}

/** Immutable ConfigMaps and Secrets (`immutable: true`) refuse data changes and unsetting the flag. */
function immutable(obj: KObj, old: KObj | undefined, fields: string[], out: StatusCause[]): void {
  if (!old?.immutable) return;
  if (!obj.immutable) out.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) if (JSON.stringify(obj[f] ?? {}) !== JSON.stringify(old[f] ?? {})) out.push(forbidden(f, 'field is immutable when `immutable` is set'));
}

export function configMapCauses(obj: KObj, old?: KObj): StatusCause[] {
  const out: StatusCause[] = [];
  keys(obj.data, 'data', obj.binaryData, 'binaryData', out);
  keys(obj.binaryData, 'binaryData', obj.data, 'data', out);
  immutable(obj, old, ['data', 'binaryData'], out);
  return out;
}

/** What Go's json.Unmarshal into map[string]interface{} says about text that is not a JSON object. */
function jsonObjectError(text: string): string | undefined {
  const t = text.trimStart();
  if (!t) return 'unexpected end of JSON input';
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    if (!/^[[{"\-0-9tfn]/.test(t)) return `invalid character '${t[0]}' looking for beginning of value`;
    const word = t[0] === 'n' ? 'null' : t[0] === 't' ? 'true' : t[0] === 'f' ? 'false' : undefined;
    if (word) {
      for (let i = 1; i < word.length; i++) {
        if (i >= t.length) return 'unexpected end of JSON input';
        if (t[i] !== word[i]) return `invalid character '${t[i]}' in literal ${word} (expecting '${word[i]}')`;
      }
    }
    return /end of (JSON|data)|Unterminated|Expected/.test((e as Error).message) && !/position/.test((e as Error).message) ? 'unexpected end of JSON input' : (e as Error).message;
  }
  if (v === null || (typeof v === 'object' && !Array.isArray(v))) return undefined;
  const goType = Array.isArray(v) ? 'array' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : 'bool';
  return `json: cannot unmarshal ${goType} into Go value of type map[string]interface {}`;
}

export function secretCauses(obj: KObj, old?: KObj): StatusCause[] {
  const out: StatusCause[] = [];
  const data: Record<string, J> = obj.data ?? {};
  keys(data, 'data', undefined, '', out);
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) out.push(inv(`data[${k}]`, REDACTED, 'must be base64 encoded'));
  }
  const has = (k: string) => Object.prototype.hasOwnProperty.call(data, k);
  const text = (k: string) => Buffer.from(String(data[k] ?? ''), 'base64').toString('utf8');
  switch (obj.type) {
    case 'kubernetes.io/service-account-token':
      if (!obj.metadata.annotations?.['kubernetes.io/service-account.name']) out.push(req('metadata.annotations[kubernetes.io/service-account.name]'));
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = obj.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!has(key)) out.push(req(`data[${key}]`));
      else {
        const err = jsonObjectError(text(key));
        if (err) out.push(inv(`data[${key}]`, REDACTED, err));
      }
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) out.push(req('data[username]'), req('data[password]'));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!text('ssh-privatekey').length) out.push(req('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) out.push(req('data[tls.crt]'));
      if (!has('tls.key')) out.push(req('data[tls.key]'));
      break;
  }
  if (old && old.type !== undefined && obj.type !== old.type) out.push(inv('type', obj.type ?? '', 'field is immutable'));
  immutable(obj, old, ['data'], out);
  return out;
}

/**
 * Structural schemas of CustomResourceDefinitions, applied to custom resources as
 * apiextensions-apiserver does on every write: unknown fields are pruned (reported for
 * fieldValidation=Strict/Warn as `unknown field "spec.foo"`), nulls of non-nullable fields
 * dropped, defaults filled, then the object is validated with kube-openapi's messages
 * (`spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"`,
 * `Required value`, `Unsupported value: … supported values: …`, `should be greater than or equal to`…).
 * x-kubernetes-preserve-unknown-fields, x-kubernetes-int-or-string and
 * x-kubernetes-embedded-resource are honoured. CEL rules (x-kubernetes-validations) are not run.
 */
import { META } from './fields.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface SchemaCause { reason: string; message: string; field: string }

const isObj = (v: unknown): v is Record<string, J> => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, k: string) => (path ? `${path}.${k}` : k);

/** The JSON type name kube-openapi reports for a value. */
function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** Go's %v of a value in "Invalid value: …" (strings quoted). */
function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/**
 * Prunes, in place, every field the schema does not declare; returns their paths. Root and
 * embedded resources keep apiVersion, kind and ObjectMeta's fields.
 */
export function pruneUnknown(schema: J, o: J, path = '', embedded = true): string[] {
  const out: string[] = [];
  walkPrune(schema, o, path, embedded, out);
  return out;
}

function walkPrune(s: J, v: J, path: string, embedded: boolean, out: string[]): void {
  if (!isObj(s)) return;
  if (Array.isArray(v)) {
    if (isObj(s.items)) v.forEach((x, i) => walkPrune(s.items, x, `${path}[${i}]`, !!s.items['x-kubernetes-embedded-resource'], out));
    return;
  }
  if (!isObj(v)) return;
  const props: Record<string, J> = isObj(s.properties) ? s.properties : {};
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const extra = isObj(s.additionalProperties) ? s.additionalProperties : undefined;
  for (const k of Object.keys(v)) {
    if (embedded && (k === 'apiVersion' || k === 'kind')) continue;
    if (embedded && k === 'metadata' && !props.metadata) {
      if (isObj(v.metadata)) {
        for (const mk of Object.keys(v.metadata)) {
          if (!META.has(mk)) {
            out.push(join(join(path, 'metadata'), mk));
            delete v.metadata[mk];
          }
        }
      }
      continue;
    }
    const sub = props[k] ?? extra;
    if (sub) walkPrune(sub, v[k], join(path, k), !!sub['x-kubernetes-embedded-resource'], out);
    else if (!preserve && s.additionalProperties !== true) {
      out.push(join(path, k));
      delete v[k];
    }
  }
}

/** Drops nulls of non-nullable fields and fills `default`s of missing ones (structural defaulting). */
export function applySchemaDefaults(s: J, v: J): void {
  if (!isObj(s)) return;
  if (Array.isArray(v)) {
    if (isObj(s.items)) for (const x of v) applySchemaDefaults(s.items, x);
    return;
  }
  if (!isObj(v)) return;
  const props: Record<string, J> = isObj(s.properties) ? s.properties : {};
  for (const [k, ps] of Object.entries(props)) {
    if (v[k] === null && !ps?.nullable && ps?.default === undefined) delete v[k];
    if (v[k] === undefined && ps?.default !== undefined) v[k] = structuredClone(ps.default);
    if (v[k] !== undefined) applySchemaDefaults(ps, v[k]);
  }
  if (isObj(s.additionalProperties)) for (const k of Object.keys(v)) if (!props[k]) applySchemaDefaults(s.additionalProperties, v[k]);
}

const TYPE_OK: Record<string, (v: unknown) => boolean> = {
  object: isObj, array: Array.isArray, string: (v) => typeof v === 'string', boolean: (v) => typeof v === 'boolean',
  integer: (v) => typeof v === 'number' && Number.isInteger(v), number: (v) => typeof v === 'number',
};

/** Validates a (pruned, defaulted) custom resource against its schema; the causes of a 422. */
export function validateAgainstSchema(schema: J, o: J): SchemaCause[] {
  const out: SchemaCause[] = [];
  walkValidate(schema, o, '', out);
  return out;
}

function walkValidate(s: J, v: J, path: string, out: SchemaCause[]): void {
  if (!isObj(s)) return;
  const invalid = (detail: string, value: unknown = v) => out.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${show(value)}: ${detail}`, field: path });
  const name = path || '<nil>';
  if (v === null) {
    if (!s.nullable && s.type) out.push({ reason: 'FieldValueTypeInvalid', message: `Invalid value: "null": ${path} in body must be of type ${s.type}: "null"`, field: path });
    return;
  }
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  if (intOrString) {
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v))) {
      out.push({ reason: 'FieldValueTypeInvalid', message: `Invalid value: "${typeName(v)}": ${name} in body must be of type integer,string: "${typeName(v)}"`, field: path });
      return;
    }
  } else if (typeof s.type === 'string' && TYPE_OK[s.type] && !TYPE_OK[s.type]!(v)) {
    out.push({ reason: 'FieldValueTypeInvalid', message: `Invalid value: "${typeName(v)}": ${name} in body must be of type ${s.type}: "${typeName(v)}"`, field: path });
    // kube-openapi goes on with enum (below) even when the type is wrong.
    if (Array.isArray(s.enum) && !s.enum.some((e: J) => JSON.stringify(e) === JSON.stringify(v))) notSupported(s, v, path, out);
    return;
  }
  if (Array.isArray(s.enum) && !s.enum.some((e: J) => JSON.stringify(e) === JSON.stringify(v))) notSupported(s, v, path, out);
  if (typeof v === 'number') {
    if (typeof s.maximum === 'number' && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) invalid(`${name} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${s.maximum}`);
    if (typeof s.minimum === 'number' && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) invalid(`${name} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${s.minimum}`);
    if (typeof s.multipleOf === 'number' && s.multipleOf > 0 && !Number.isInteger(v / s.multipleOf)) invalid(`${name} in body should be a multiple of ${s.multipleOf}`);
  }
  if (typeof v === 'string') {
    const len = [...v].length;
    if (typeof s.maxLength === 'number' && Buffer.byteLength(v) > s.maxLength) out.push({ reason: 'FieldValueTooLong', message: `Too long: may not be more than ${s.maxLength} bytes`, field: path });
    if (typeof s.minLength === 'number' && len < s.minLength) invalid(`${name} in body should be at least ${s.minLength} chars long`);
    if (typeof s.pattern === 'string') {
      let re: RegExp | undefined;
      try { re = new RegExp(s.pattern, 'u'); } catch { re = undefined; }
      if (re && !re.test(v)) invalid(`${name} in body should match '${s.pattern}'`);
    }
  }
  if (Array.isArray(v)) {
    if (typeof s.maxItems === 'number' && v.length > s.maxItems) out.push({ reason: 'FieldValueTooMany', message: `Too many: ${v.length}: must have at most ${s.maxItems} items`, field: path });
    if (typeof s.minItems === 'number' && v.length < s.minItems) invalid(`${name} in body should have at least ${s.minItems} items`);
    if (isObj(s.items)) v.forEach((x, i) => walkValidate(s.items, x, `${path}[${i}]`, out));
    return;
  }
  if (isObj(v)) {
    for (const r of Array.isArray(s.required) ? s.required : []) {
      if (v[r] === undefined) out.push({ reason: 'FieldValueRequired', message: 'Required value', field: join(path, r) });
    }
    if (typeof s.maxProperties === 'number' && Object.keys(v).length > s.maxProperties) out.push({ reason: 'FieldValueTooMany', message: `Too many: ${Object.keys(v).length}: must have at most ${s.maxProperties} items`, field: path });
    const props: Record<string, J> = isObj(s.properties) ? s.properties : {};
    for (const [k, ps] of Object.entries(props)) if (v[k] !== undefined && !(path === '' && k === 'metadata')) walkValidate(ps, v[k], join(path, k), out);
    if (isObj(s.additionalProperties)) for (const k of Object.keys(v)) if (!props[k]) walkValidate(s.additionalProperties, v[k], join(path, k), out);
  }
}

function notSupported(s: J, v: J, path: string, out: SchemaCause[]): void {
  const values = (s.enum as J[]).map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
  out.push({ reason: 'FieldValueNotSupported', message: `Unsupported value: ${show(v)}: supported values: ${values.map((x) => JSON.stringify(x)).join(', ')}`, field: path });
}

const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** The apiextensions controller's part on a new CRD: names accepted, established at once. */
export function acceptCrd(crd: J): void {
  const t = nowIso();
  crd.status = {
    conditions: [
      { type: 'NamesAccepted', status: 'True', lastTransitionTime: t, reason: 'NoConflicts', message: 'no conflicts found' },
      { type: 'Established', status: 'True', lastTransitionTime: t, reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
    ],
    acceptedNames: { ...crd.spec?.names, listKind: crd.spec?.names?.listKind ?? `${crd.spec?.names?.kind}List`, singular: crd.spec?.names?.singular ?? String(crd.spec?.names?.kind ?? '').toLowerCase() },
    storedVersions: (crd.spec?.versions ?? []).filter((v: J) => v.storage).map((v: J) => v.name),
  };
}

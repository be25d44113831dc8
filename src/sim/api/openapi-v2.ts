/**
 * /openapi/v2: the Swagger 2.0 document kubectl 1.27/1.28 load before `apply` (they fail without
 * it). Asked as protobuf (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`, gnostic's
 * openapi.v2.Document, decoded with proto.Unmarshal) or as JSON. Like the v3 documents, it has a
 * get and a patch operation per kind with `x-kubernetes-group-version-kind` and the patch query
 * parameters (fieldValidation, dryRun, fieldManager, force), so kubectl's query-parameter
 * verifier finds server-side validation; it has no definitions, so kubectl computes strategic
 * merge patches from its compiled-in types (a definition without the x-kubernetes-patch-*
 * extensions would make it replace lists instead of merging them).
 */
import type { Registry } from '../registry/index.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What kubectl asks for, and the Content-Type kube-openapi answers with ('@' is no valid MIME token: Go's mime parser refuses it). */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
export const OPENAPI_V2_PROTOBUF_REPLY = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

const PATCH_PARAMS: Array<{ name: string; type: string; description: string }> = [
  { name: 'dryRun', type: 'string', description: 'When present, indicates that modifications should not be persisted.' },
  { name: 'fieldManager', type: 'string', description: 'fieldManager is a name associated with the actor or entity that is making these changes.' },
  { name: 'fieldValidation', type: 'string', description: 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields.' },
  { name: 'force', type: 'boolean', description: 'Force is going to "force" Apply requests.' },
];

/** The JSON document (also the source of the protobuf one). */
export function openapiV2Json(registry: Registry, gitVersion: string): J {
  const paths: Record<string, J> = {};
  for (const t of registry.types()) {
    const prefix = t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`;
    const path = t.namespaced ? `${prefix}/namespaces/{namespace}/${t.plural}/{name}` : `${prefix}/${t.plural}/{name}`;
    const gvk = { group: t.group, kind: t.kind, version: t.version };
    const op = (verb: string, action: string): J => ({
      consumes: verb === 'patch'
        ? ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml']
        : undefined,
      produces: ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'],
      schemes: ['https'],
      operationId: `${verb}${t.group ? t.group.split('.')[0]!.replace(/^./, (c) => c.toUpperCase()) : 'Core'}${t.version.replace(/^./, (c) => c.toUpperCase())}${t.namespaced ? 'Namespaced' : ''}${t.kind}`,
      parameters: verb === 'patch' ? PATCH_PARAMS.map((p) => ({ uniqueItems: true, type: p.type, description: p.description, name: p.name, in: 'query' })) : [],
      responses: { 200: { description: 'OK' }, 401: { description: 'Unauthorized' } },
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
    });
    paths[path] = { get: op('read', 'get'), patch: op('patch', 'patch') };
  }
  return { swagger: '2.0', info: { title: 'Kubernetes', version: gitVersion }, paths, definitions: {} };
}

// ---- protobuf (gnostic openapiv2/OpenAPIv2.proto field numbers) ----

class Pb {
  private parts: Buffer[] = [];
  private varint(n: number): void {
    const b: number[] = [];
    while (n > 127) {
      b.push((n & 127) | 128);
      n = Math.floor(n / 128);
    }
    b.push(n);
    this.parts.push(Buffer.from(b));
  }
  str(field: number, s: string | undefined): this {
    if (!s) return this;
    return this.bytes(field, Buffer.from(s, 'utf8'));
  }
  bool(field: number, v: boolean | undefined): this {
    if (!v) return this;
    this.varint((field << 3) | 0);
    this.varint(1);
    return this;
  }
  bytes(field: number, b: Buffer): this {
    this.varint((field << 3) | 2);
    this.varint(b.length);
    this.parts.push(b);
    return this;
  }
  msg(field: number, m: Pb): this {
    return this.bytes(field, m.done());
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** NamedAny{name, Any{yaml}}: vendor extensions carry their value as YAML text. */
function namedAny(name: string, value: J): Pb {
  const yaml = typeof value === 'object' && value !== null
    ? Object.entries(value).map(([k, v]) => `${k}: ${v === '' ? '""' : String(v)}\n`).join('')
    : `${String(value)}\n`;
  return new Pb().str(1, name).msg(2, new Pb().str(2, yaml));
}

function operation(op: J): Pb {
  const m = new Pb();
  for (const s of op.produces ?? []) m.str(6, s);
  for (const s of op.consumes ?? []) m.str(7, s);
  m.str(5, op.operationId);
  for (const p of op.parameters ?? []) {
    // ParametersItem.parameter → Parameter.non_body_parameter → NonBodyParameter.query_parameter_sub_schema
    const q = new Pb().bool(1, p.required).str(2, p.in).str(3, p.description).str(4, p.name).str(6, p.type).bool(20, p.uniqueItems);
    m.msg(8, new Pb().msg(1, new Pb().msg(2, new Pb().msg(3, q))));
  }
  const responses = new Pb();
  for (const [code, r] of Object.entries(op.responses ?? {}) as Array<[string, J]>) {
    responses.msg(1, new Pb().str(1, code).msg(2, new Pb().msg(1, new Pb().str(1, r.description))));
  }
  m.msg(9, responses);
  for (const s of op.schemes ?? []) m.str(10, s);
  for (const [k, v] of Object.entries(op)) if (k.startsWith('x-')) m.msg(13, namedAny(k, v));
  return m;
}

/** gnostic openapi.v2.Document, as proto.Marshal writes it. */
export function openapiV2Protobuf(doc: J): Buffer {
  const d = new Pb().str(1, doc.swagger).msg(2, new Pb().str(1, doc.info.title).str(2, doc.info.version));
  const paths = new Pb();
  const order: Array<[string, number]> = [['get', 2], ['put', 3], ['post', 4], ['delete', 5], ['options', 6], ['head', 7], ['patch', 8]];
  for (const [path, item] of Object.entries(doc.paths) as Array<[string, J]>) {
    const pi = new Pb();
    for (const [verb, field] of order) if (item[verb]) pi.msg(field, operation(item[verb]));
    paths.msg(2, new Pb().str(1, path).msg(2, pi));
  }
  d.msg(8, paths);
  d.msg(9, new Pb());
  return d.done();
}

/** Both encodings, rebuilt only when the set of served types changes. */
export class OpenApiV2 {
  private cached?: { gen: number; version: string; json: string; pb: Buffer };
  constructor(private readonly registry: Registry) {}
  get(gitVersion: string): { json: string; pb: Buffer } {
    if (this.cached?.gen !== this.registry.generation || this.cached.version !== gitVersion) {
      const doc = openapiV2Json(this.registry, gitVersion);
      this.cached = { gen: this.registry.generation, version: gitVersion, json: JSON.stringify(doc), pb: openapiV2Protobuf(doc) };
    }
    return this.cached;
  }
}

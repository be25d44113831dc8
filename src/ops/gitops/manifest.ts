/**
 * Patching one Kubernetes object inside a manifest file and keeping the rest of the file: the YAML
 * documents are parsed with positions, the object's document is changed node by node (only the values the
 * patch changes; comments, key order and the other documents stay as written) and spliced back in place.
 * The patches are the plan's own request bodies: strategic merge (as the apiserver merges built-in kinds:
 * containers by name…), JSON merge, JSON patch, and the scale subresource's replicas.
 */
import { isMap, isScalar, isSeq, parse, parseAllDocuments, type Document } from 'yaml';
// The apiserver's patch semantics, as the embedded cluster implements them (pure functions, no cluster state):
// one implementation, so a Git fix merges exactly as the live patch would.
import { strategicMergePatch } from '../../sim/api/strategic.js';
import { jsonPatch, mergePatch } from '../../sim/api/patch.js';
import type { Step } from '../plan.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

export class ManifestError extends Error {}

export interface ObjectId { kind: string; name: string; namespace?: string }

export interface DocMatch { index: number; object: Obj }

/** Documents of a file that are the object (kind + name, and the namespace when the document names one). */
export function findDocuments(text: string, id: ObjectId, defaultNamespace?: string): DocMatch[] {
  let docs: Document.Parsed[];
  try { docs = parseAllDocuments(text) as Document.Parsed[]; } catch { return []; }
  if (!Array.isArray(docs)) return [];
  const out: DocMatch[] = [];
  docs.forEach((d, index) => {
    if (d.errors.length) return;
    const o = d.toJS() as Obj;
    if (!o || typeof o !== 'object' || o.kind !== id.kind || o.metadata?.name !== id.name) return;
    const ns = o.metadata?.namespace ?? defaultNamespace;
    if (ns !== undefined && id.namespace !== undefined && ns !== id.namespace) return;
    out.push({ index, object: o });
  });
  return out;
}

/** The object after one plan step's patch, or why the step is not a change that belongs in Git. */
export function applyStep(obj: Obj, step: Step): Obj {
  const r = step.request;
  const body = r.body === undefined ? undefined : JSON.parse(r.body);
  if (step.op === 'restart') throw new ManifestError(`"${step.title}" restarts the pods: nothing to change in Git (restart it live, or fix what makes it fail)`);
  if (step.op === 'delete' || step.op === 'evict' || r.method === 'DELETE') throw new ManifestError(`"${step.title}" deletes: remove the manifest from Git by hand`);
  if (step.op === 'cordon' || step.op === 'uncordon') throw new ManifestError(`"${step.title}" is a node operation, not a manifest change`);
  if (r.path.endsWith('/scale')) {
    const replicas = body?.spec?.replicas;
    if (typeof replicas !== 'number') throw new ManifestError(`"${step.title}": no replica count in the scale request`);
    return { ...obj, spec: { ...(obj.spec ?? {}), replicas } };
  }
  if (r.method === 'PATCH') {
    switch (r.contentType) {
      case 'application/strategic-merge-patch+json': return strategicMergePatch(obj, body, obj.kind);
      case 'application/merge-patch+json': return mergePatch(obj, body);
      case 'application/json-patch+json': return jsonPatch(obj, body);
      case 'application/apply-patch+yaml': return strategicMergePatch(obj, stripServerFields(body), obj.kind);
    }
  }
  if (r.method === 'PUT' && body?.kind === obj.kind) return stripServerFields(body);
  throw new ManifestError(`"${step.title}" (${r.method} ${r.contentType ?? ''}) cannot be written as a manifest change`);
}

/** Server-owned fields never belong in a manifest. */
function stripServerFields(o: Obj): Obj {
  const c = structuredClone(o);
  delete c.status;
  for (const k of ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields', 'selfLink']) delete c.metadata?.[k];
  return c;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Changes the YAML node to hold `next`, reusing every node whose value stays (and its comments). */
function sync(doc: Document, node: unknown, next: unknown): unknown {
  if (isMap(node) && isObj(next)) {
    for (const pair of [...node.items]) {
      const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (!(k in next)) node.delete(pair.key);
    }
    for (const [k, v] of Object.entries(next)) {
      const cur = node.get(k, true);
      if (cur === undefined) node.set(k, doc.createNode(v));
      else { const r = sync(doc, cur, v); if (r !== cur) node.set(k, r); }
    }
    return node;
  }
  if (isSeq(node) && Array.isArray(next)) {
    while (node.items.length > next.length) node.items.pop();
    next.forEach((v, i) => {
      const cur = node.items[i];
      if (cur === undefined) node.add(doc.createNode(v));
      else { const r = sync(doc, cur, v); if (r !== cur) node.items[i] = r as never; }
    });
    return node;
  }
  if (isScalar(node) && !isObj(next) && !Array.isArray(next)) {
    if (node.value !== next) node.value = next;
    return node;
  }
  return doc.createNode(next);
}

/** kubectl-style files put list items at the key's indentation ("containers:\n- name"); keep that style. */
function indentsSequences(text: string): boolean {
  const flat = /^( *)[^\s#-][^\n]*:[ \t]*\n\1- /m.test(text);
  const nested = /^( *)[^\s#-][^\n]*:[ \t]*\n\1  - /m.test(text);
  return nested || !flat;
}

interface Edit { from: number; to: number; text: string }

/**
 * When the patch only changes values (no key or list item added or removed), the exact source ranges of
 * those values: each is rewritten in place, in its own quoting style, and not one other byte moves.
 */
function valueEdits(text: string, node: unknown, next: unknown): Edit[] | undefined {
  if (isMap(node) && isObj(next)) {
    const keys = node.items.map((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)));
    if (keys.length !== Object.keys(next).length || keys.some((k) => !(k in next))) return undefined;
    const out: Edit[] = [];
    for (const p of node.items) {
      const e = valueEdits(text, p.value, next[isScalar(p.key) ? String(p.key.value) : String(p.key)]);
      if (!e) return undefined;
      out.push(...e);
    }
    return out;
  }
  if (isSeq(node) && Array.isArray(next)) {
    if (node.items.length !== next.length) return undefined;
    const out: Edit[] = [];
    for (const [i, item] of node.items.entries()) { const e = valueEdits(text, item, next[i]); if (!e) return undefined; out.push(...e); }
    return out;
  }
  if (isScalar(node) && (next === null || typeof next !== 'object')) {
    if (node.value === next) return [];
    if (!node.range) return undefined;
    const [from, to] = node.range;
    return [{ from, to, text: scalarText(text[from], next) }];
  }
  return undefined;
}

/** A value written as the old one was: double-quoted, single-quoted, or plain when plain reads back the same. */
function scalarText(quote: string | undefined, v: unknown): string {
  if (typeof v !== 'string') return v === null ? 'null' : String(v);
  if (quote === '"') return JSON.stringify(v);
  if (quote === "'") return `'${v.replace(/'/g, "''")}'`;
  let plainOk = false;
  try { plainOk = v !== '' && !/^\s|\s$|[#:]\s|[\n{}[\],&*!|>%@`]/.test(v) && parse(v) === v; } catch { plainOk = false; }
  return plainOk ? v : JSON.stringify(v);
}

/** The file with document `index` changed to `next`; every other byte of the file as it was. */
export function rewriteDocument(text: string, index: number, next: Obj): string {
  const docs = parseAllDocuments(text) as Document.Parsed[];
  const doc = docs[index];
  if (!doc) throw new ManifestError(`document ${index + 1} is not in the file`);
  const edits = valueEdits(text, doc.contents, next);
  let result: string;
  if (edits) {
    result = text;
    for (const e of edits.sort((a, b) => b.from - a.from)) result = result.slice(0, e.from) + e.text + result.slice(e.to);
  } else {
    // Keys or items added/removed: this one document is written again (comments kept), the rest untouched.
    const start = index === 0 ? 0 : docs[index - 1]!.range[2];
    const end = doc.range[2];
    const original = text.slice(start, end);
    doc.contents = sync(doc, doc.contents, next) as typeof doc.contents;
    let out = doc.toString({ indentSeq: indentsSequences(original), lineWidth: 0 });
    if (!original.endsWith('\n') && out.endsWith('\n')) out = out.slice(0, -1);
    result = text.slice(0, start) + out + text.slice(end);
  }
  // The file must read back as the same documents, the changed one equal to the patched object.
  const again = parseAllDocuments(result) as Document.Parsed[];
  const before = parseAllDocuments(text) as Document.Parsed[];
  const same = again.length === docs.length && again.every((d, i) => i === index || canonical(d.toJS()) === canonical(before[i]!.toJS()));
  if (!same || canonical(again[index]!.toJS()) !== canonical(next)) throw new ManifestError('the patched file does not read back as the patched object; not written');
  return result;
}

/** JSON with sorted keys: the same object reads the same whatever its key order. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (isObj(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));
}

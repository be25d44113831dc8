/** JSON patch (RFC 6902) and JSON merge patch (RFC 7386), with apiserver-style errors. */
import { ApiError, badRequest } from '../errors.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const isObj = (v: unknown): v is Record<string, J> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: J, patch: J): J {
  if (!isObj(patch)) return structuredClone(patch);
  const out: Record<string, J> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function unescape(seg: string): string {
  return seg.replace(/~1/g, '/').replace(/~0/g, '~');
}

function parsePointer(p: unknown): string[] {
  if (typeof p !== 'string') throw badRequest('the JSON patch operation has no string "path"');
  if (p === '') return [];
  if (!p.startsWith('/')) throw badRequest(`invalid JSON pointer "${p}"`);
  return p.slice(1).split('/').map(unescape);
}

function unprocessable(msg: string): ApiError {
  return new ApiError(422, 'Invalid', msg);
}

function locate(doc: J, segs: string[], op: string): { parent: J; key: string } {
  let cur = doc;
  for (const s of segs.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (isObj(cur)) cur = cur[s];
    else cur = undefined;
    if (cur === undefined) throw unprocessable(`the server rejected our request due to an error in our request: ${op} operation does not apply: doc is missing path: /${segs.join('/')}`);
  }
  return { parent: cur, key: segs[segs.length - 1]! };
}

function getAt(doc: J, segs: string[]): J {
  let cur = doc;
  for (const s of segs) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (isObj(cur)) cur = cur[s];
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

export function jsonPatch(doc: J, ops: unknown): J {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let root = structuredClone(doc);
  for (const op of ops as Array<Record<string, J>>) {
    if (!isObj(op)) throw badRequest('invalid JSON patch operation');
    const segs = parsePointer(op.path);
    const kind = op.op;
    const add = (segs2: string[], value: J) => {
      if (segs2.length === 0) {
        root = structuredClone(value);
        return;
      }
      const { parent, key } = locate(root, segs2, 'add');
      if (Array.isArray(parent)) {
        const i = key === '-' ? parent.length : Number(key);
        if (!Number.isInteger(i) || i < 0 || i > parent.length) throw unprocessable(`add operation does not apply: index ${key} out of bounds`);
        parent.splice(i, 0, structuredClone(value));
      } else if (isObj(parent)) parent[key] = structuredClone(value);
      else throw unprocessable(`add operation does not apply: doc is missing path: ${op.path}`);
    };
    const remove = (segs2: string[], name: string): J => {
      const { parent, key } = locate(root, segs2, name);
      if (Array.isArray(parent)) {
        const i = Number(key);
        if (!Number.isInteger(i) || i < 0 || i >= parent.length) throw unprocessable(`${name} operation does not apply: doc is missing path: /${segs2.join('/')}`);
        return parent.splice(i, 1)[0];
      }
      if (!isObj(parent) || !(key in parent)) throw unprocessable(`${name} operation does not apply: doc is missing path: /${segs2.join('/')}`);
      const v = parent[key];
      delete parent[key];
      return v;
    };
    switch (kind) {
      case 'add': add(segs, op.value); break;
      case 'remove': remove(segs, 'remove'); break;
      case 'replace':
        if (segs.length === 0) root = structuredClone(op.value);
        else {
          remove(segs, 'replace');
          add(segs, op.value);
        }
        break;
      case 'move': {
        const v = remove(parsePointer(op.from), 'move');
        add(segs, v);
        break;
      }
      case 'copy': {
        const v = getAt(root, parsePointer(op.from));
        if (v === undefined) throw unprocessable(`copy operation does not apply: doc is missing from path: ${op.from}`);
        add(segs, v);
        break;
      }
      case 'test':
        if (JSON.stringify(getAt(root, segs)) !== JSON.stringify(op.value)) throw unprocessable(`testing value ${op.path} failed: test failed`);
        break;
      default:
        throw badRequest(`unexpected kind of JSON patch operation: ${String(kind)}`);
    }
  }
  return root;
}

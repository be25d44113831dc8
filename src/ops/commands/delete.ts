/** delete: by name(s), kind/name, a label selector, or the rows marked in the cockpit. One step per object. */
import type { ResourceKind } from '../../kube/types.js';
import { objectPathOf, type Step } from '../plan.js';
import { OpsInputError } from './errors.js';
import { bool, int, parseArgs, str } from './tokens.js';
import { json, listLive, makeStep, namespaceFor, parseTargets, resolveKind, targetOf, type OpsEnv } from './env.js';

export async function del(env: OpsEnv, tokens: string[]): Promise<Step[]> {
  const a = parseArgs(tokens, { values: { selector: 'l', 'grace-period': '', cascade: '' }, bools: { all: '' } }, 'delete');
  const ns = namespaceFor(env, str(a, 'namespace'));
  const cascade = str(a, 'cascade') ?? 'background';
  const policy = ({ background: 'Background', foreground: 'Foreground', orphan: 'Orphan' } as Record<string, string>)[cascade];
  if (!policy) throw new OpsInputError(`delete: --cascade must be background, foreground or orphan, got '${cascade}'`);
  const grace = int(a, 'grace-period', 'delete', 0);
  const body = json({ propagationPolicy: policy, ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}) });
  const objs: Array<{ kind: ResourceKind; name: string; namespace?: string }> = [];
  if (a.positionals[0] === 'marked') {
    if (!env.marked || env.marked.length === 0) throw new OpsInputError('delete marked: no rows are marked (mark rows in the table with space)');
    for (const m of env.marked) objs.push({ kind: m.kind, name: m.name, namespace: m.namespace });
  } else if (str(a, 'selector') !== undefined || bool(a, 'all')) {
    if (a.positionals.length !== 1) throw new OpsInputError('delete: with -l or --all name just the kind, e.g. "delete pods -l app=web"');
    const kind = resolveKind(env, a.positionals[0]!);
    const sel = str(a, 'selector');
    const items = await listLive(env, kind, ns, sel ? [['labelSelector', sel]] : []);
    if (items.length === 0) throw new OpsInputError(`delete: no ${kind.resource} ${sel ? `match "${sel}"` : 'exist'}${kind.namespaced ? ` in namespace ${ns}` : ''}`);
    for (const o of items) objs.push({ kind, name: o.metadata.name, namespace: ns });
  } else {
    for (const t of parseTargets(env, a.positionals, 'delete', { many: true })) {
      if (t.names.length === 0) throw new OpsInputError(`delete: name the ${t.kind.resource} to delete, select with -l, or use --all`);
      for (const n of t.names) objs.push({ kind: t.kind, name: n, namespace: ns });
    }
  }
  return objs.map(({ kind, name, namespace }) => {
    const t = targetOf(kind, name, namespace ?? ns);
    return makeStep({
      title: `delete ${kind.resource}/${name}${t.namespace ? ` in ${t.namespace}` : ''}`, op: 'delete', target: t, verify: { kind: 'gone' },
      request: { method: 'DELETE', path: objectPathOf(t), contentType: 'application/json', body },
      warnings: kind.resource === 'namespaces' ? [`deletes namespace ${name} and every object in it`] : [],
    });
  });
}

/**
 * The inverse of a journaled operation, as a new plan that goes through preview and confirmation
 * like any other: restore the before-state for patches/scales/applies (PUT with the current
 * resourceVersion, or a scale patch), re-create deleted objects without server-set fields, delete
 * created ones, roll a Deployment's template back rollout-undo style, uncordon what was cordoned.
 * When the object changed after the operation, the step carries a warning saying so.
 */
import type { KubeRequester } from '../kube/request.js';
import { collectionPathOf, newPlan, objectPathOf, type Plan, type Step } from './plan.js';
import type { JournalOperation, JournalStep } from './journal.js';
import { makeStep, json } from './commands/env.js';
import { stripServerFields, userContent } from './diff.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

export interface UndoPlan { plan: Plan; notes: string[] }

/** A deleted object ready to be created again: no uid, resourceVersion, status or server-assigned fields. */
export function forRecreate(before: Obj): Obj {
  const o = stripServerFields(before);
  delete o.status;
  delete o.metadata.ownerReferences;
  delete o.metadata.finalizers;
  if (o.kind === 'Service' && o.spec) { delete o.spec.clusterIP; delete o.spec.clusterIPs; }
  if (o.kind === 'Pod' && o.spec) delete o.spec.nodeName;
  return o;
}

function forReplace(before: Obj, currentRv: string): Obj {
  const o = stripServerFields(before);
  o.metadata.resourceVersion = currentRv;
  o.metadata.uid = before.metadata.uid;
  delete o.status;
  return o;
}

export async function buildUndo(client: KubeRequester, op: JournalOperation): Promise<UndoPlan> {
  const notes: string[] = [];
  const steps: Step[] = [];
  const done = op.steps.filter((s) => s.status === 'succeeded' || s.status === 'unknown');
  if (done.length === 0) throw new Error(`operation #${op.id} changed nothing (${op.status}); there is nothing to undo`);
  for (const s of [...done].reverse()) {
    if (s.status === 'unknown') notes.push(`step ${s.index + 1} (${s.title}) may or may not have run (the process was interrupted); its inverse is included`);
    const inv = await inverseOf(client, s, notes);
    if (inv) steps.push(inv);
  }
  if (steps.length === 0) throw new Error(`operation #${op.id} has no inverse: ${notes.join('; ')}`);
  return { plan: newPlan(`undo #${op.id}: ${op.source}`, steps, op.id), notes };
}

async function inverseOf(client: KubeRequester, s: JournalStep, notes: string[]): Promise<Step | undefined> {
  const t = s.target;
  const curRes = await client.request({ method: 'GET', path: createdPath(s) });
  const current: Obj | undefined = curRes.status === 200 ? curRes.json : undefined;
  const afterRv: string | undefined = s.response?.metadata?.resourceVersion;
  const warnings: string[] = [];
  if (current && afterRv && current.metadata?.resourceVersion !== afterRv && s.op !== 'delete' && s.op !== 'evict' && changedSince(s, current)) {
    warnings.push(`${t.resource}/${t.name} changed since the operation (resourceVersion ${afterRv} → ${current.metadata.resourceVersion}); undoing overwrites those later changes`);
  }
  const before = s.before;
  switch (s.op) {
    case 'create': {
      const name = s.response?.metadata?.name ?? t.name;
      const target = { ...t, name };
      if (!current) { notes.push(`${t.resource}/${name} is already gone`); return undefined; }
      return makeStep({ title: `delete ${t.resource}/${name} (created by the operation)`, op: 'delete', target, verify: { kind: 'gone' }, warnings,
        request: { method: 'DELETE', path: objectPathOf(target), contentType: 'application/json', body: json({ propagationPolicy: 'Background' }) } });
    }
    case 'delete': {
      if (!before) { notes.push(`no before-state recorded for ${t.resource}/${t.name}`); return undefined; }
      if ((before.metadata.ownerReferences ?? []).some((o: Obj) => o.controller)) {
        notes.push(`${t.resource}/${t.name} was managed by a controller, which replaces it; it is not re-created`);
        return undefined;
      }
      if (current && current.metadata?.uid === before.metadata?.uid) {
        notes.push(`${t.resource}/${t.name} was not deleted (the step did not reach the server); nothing to re-create`);
        return undefined;
      }
      if (current) warnings.push(`${t.resource}/${t.name} exists again (re-created since); the dry-run shows whether it can be created`);
      const obj = forRecreate(before);
      return makeStep({ title: `re-create ${t.resource}/${t.name}${t.namespace ? ` in ${t.namespace}` : ''}`, op: 'create', target: t, verify: { kind: 'exists' }, warnings,
        request: { method: 'POST', path: collectionPathOf(t), query: [['fieldManager', 'kai-tui']], contentType: 'application/json', body: json(obj) } });
    }
    case 'evict':
      notes.push(`evicted pod ${t.namespace}/${t.name} is not restored (its controller re-creates it elsewhere)`);
      return undefined;
    case 'cordon':
    case 'uncordon': {
      const on = s.op === 'uncordon';
      if (!current) { notes.push(`node ${t.name} no longer exists`); return undefined; }
      return makeStep({ title: `${on ? 'cordon' : 'uncordon'} node ${t.name}`, op: on ? 'cordon' : 'uncordon', target: t, warnings,
        request: { method: 'PATCH', path: objectPathOf(t), contentType: 'application/strategic-merge-patch+json', body: json({ spec: { unschedulable: on ? true : null } }) } });
    }
    case 'scale': {
      if (!before) return undefined;
      if (!current) { notes.push(`${t.resource}/${t.name} no longer exists`); return undefined; }
      const replicas = before.spec?.replicas ?? 1;
      return makeStep({ title: `scale ${t.resource}/${t.name} back to ${replicas} replicas`, op: 'scale', target: t, verify: { kind: 'rollout' }, warnings,
        request: { method: 'PATCH', path: objectPathOf(t) + '/scale', contentType: 'application/merge-patch+json', body: json({ spec: { replicas } }) } });
    }
    default: {
      // patch, replace, apply, restart, rollback
      if (!before) {
        if (s.op === 'apply' && current) {
          return makeStep({ title: `delete ${t.resource}/${t.name} (created by apply)`, op: 'delete', target: t, verify: { kind: 'gone' }, warnings,
            request: { method: 'DELETE', path: objectPathOf(t), contentType: 'application/json', body: json({ propagationPolicy: 'Background' }) } });
        }
        notes.push(`no before-state recorded for ${t.resource}/${t.name}`);
        return undefined;
      }
      if (!current) { notes.push(`${t.resource}/${t.name} no longer exists; nothing to restore`); return undefined; }
      const rollout = t.resource === 'deployments' && (s.op === 'restart' || s.op === 'rollback' || templateOnly(before, current));
      if (rollout) {
        // rollout-undo style: put the previous pod template back (a new rollout to the old pods).
        return makeStep({ title: `roll deployments/${t.name} back to its previous pod template`, op: 'rollback', target: t, verify: { kind: 'rollout' }, warnings,
          request: { method: 'PATCH', path: objectPathOf(t), contentType: 'application/json-patch+json',
            body: json([{ op: 'replace', path: '/spec/template', value: before.spec.template }]) } });
      }
      return makeStep({ title: `restore ${t.resource}/${t.name} to its state before the operation`, op: 'replace', target: t,
        verify: t.group === 'apps' ? { kind: 'rollout' } : { kind: 'none' }, warnings,
        request: { method: 'PUT', path: objectPathOf(t), query: [['fieldManager', 'kai-tui']], contentType: 'application/json', body: json(forReplace(before, current.metadata.resourceVersion)) } });
    }
  }
}

/** The path where the step's object lives now (created objects may have a generated name). */
function createdPath(s: JournalStep): string {
  if (s.target.name) return s.objectPath;
  const name = s.response?.metadata?.name;
  return name ? objectPathOf({ ...s.target, name }) : s.objectPath;
}

/** Only the pod template differs between before and now (besides status and metadata noise). */
function templateOnly(before: Obj, current: Obj): boolean {
  const a = { ...before.spec, template: undefined, replicas: undefined };
  const b = { ...current.spec, template: undefined, replicas: undefined };
  return JSON.stringify(a) === JSON.stringify(b) && JSON.stringify(before.spec?.template) !== JSON.stringify(current.spec?.template);
}

/** Did the user-visible content move on after the step (status-only changes do not count)? */
function changedSince(s: JournalStep, current: Obj): boolean {
  const after = s.response;
  if (!after) return true;
  if (after.kind === 'Scale') return current.spec?.replicas !== after.spec?.replicas;
  if (after.kind !== current.kind) return true;
  return userContent(after) !== userContent(current);
}

/**
 * The operations' `:` commands as the registry lists them (help, "did you mean"); running one
 * drafts a plan through the palette's pipeline (plan → dry-run preview → confirm).
 */
import type { CockpitRegistry } from '../cockpit/registry.js';
import { READ_VERBS, VERBS } from '../../ops/commands/index.js';

const USAGE: Record<string, [string, string]> = {
  scale: ['scale KIND/NAME --replicas N', 'set replicas (the preview names an HPA that would override it)'],
  rollout: ['rollout restart|undo|pause|resume KIND/NAME', 'restart, roll back (--to-revision=N), pause or resume a rollout'],
  set: ['set image|env|resources KIND/NAME …', 'change images, env vars or requests/limits'],
  label: ['label KIND/NAME k=v [k-]', 'add, change (--overwrite) or remove labels'],
  annotate: ['annotate KIND/NAME k=v [k-]', 'add, change or remove annotations'],
  patch: ['patch KIND/NAME -p JSON [--type=…]', 'strategic, merge or JSON patch'],
  apply: ['apply -f FILE|DIR|-k DIR', 'apply manifests (server-side dry-run of each first)'],
  create: ['create -f FILE', 'create objects from manifests'],
  delete: ['delete KIND/NAME… | -l SEL | marked', 'delete objects (destructive: needs the word yes)'],
  cordon: ['cordon NODE…', 'mark nodes unschedulable'],
  uncordon: ['uncordon NODE…', 'mark nodes schedulable again'],
  drain: ['drain NODE [--ignore-daemonsets]', 'cordon and evict every pod of a node'],
  edit: ['edit KIND/NAME', 'edit the live YAML in $EDITOR; previewed as a replace'],
  expose: ['expose KIND/NAME --port=N', 'create a Service for a workload'],
  autoscale: ['autoscale KIND/NAME --min=N --max=M --cpu-percent=P', 'create a HorizontalPodAutoscaler'],
  undo: ['undo [ID]', 'the inverse plan of the last (or a journalled) operation'],
  get: ['get KIND [NAME]', 'show a kind (as :KIND)'],
  describe: ['describe KIND/NAME', 'describe an object'],
  logs: ['logs POD', 'logs of a pod'],
  top: ['top', 'node and pod CPU/memory'],
  explain: ['explain KIND/NAME', 'findings, evidence and the rule for an object'],
};

/** `submit`: the palette's path for a typed operation. */
export function registerOperationCommands(reg: CockpitRegistry, submit: (text: string) => void): void {
  for (const verb of VERBS) {
    // Read verbs the cockpit already has as views keep their own command (`:top`, `:events`…).
    // `events` is a kind: `:events` shows its table.
    if (reg.find(verb) || verb === 'events') continue;
    const [usage, summary] = USAGE[verb] ?? [`${verb} …`, verb];
    reg.command({ names: [verb], usage: `:${usage}`, summary, group: (READ_VERBS as readonly string[]).includes(verb) ? 'views' : 'operations', run: (_args, text) => submit(text.trim().replace(/^:/, '')) });
  }
}

/**
 * kubectl 1.32's printers (pkg/printers/internalversion) for the cluster-administration kinds:
 * RBAC, PriorityClass, RuntimeClass, CertificateSigningRequest, APIService (kube-aggregator's
 * printer), API Priority and Fairness, admission webhooks and policies, IngressClass,
 * NetworkPolicy. Merged into tables.ts' printer map.
 */
import type { KObj } from '../types.js';
import { humanDuration, since } from './humanize.js';
import { labelSelectorString } from './selectors.js';

type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Cell = string | number | boolean | null;
interface Column { name: string; type: string; format: string; description: string; priority: number }
export interface AdminPrinter { columns: Column[]; cells(o: KObj, now: number): Cell[] }

const col = (name: string, type = 'string', priority = 0, format = ''): Column => ({ name, type, format, description: '', priority });
const NAME = col('Name', 'string', 0, 'name');
const AGE = col('Age');
const age = (o: KObj, now: number) => since(o.metadata.creationTimestamp, now);

const role: AdminPrinter = {
  columns: [NAME, col('Created At', 'date')],
  cells: (o) => [o.metadata.name!, o.metadata.creationTimestamp ?? ''],
};

/** rbac.SubjectsStrings: users, groups, "namespace/name" of ServiceAccounts, joined with ", ". */
const binding: AdminPrinter = {
  columns: [NAME, col('Role'), AGE, col('Users', 'string', 1), col('Groups', 'string', 1), col('ServiceAccounts', 'string', 1)],
  cells: (o, now) => {
    const subs: J[] = o.subjects ?? [];
    const of = (k: string) => subs.filter((s) => s.kind === k);
    return [o.metadata.name!, `${o.roleRef?.kind}/${o.roleRef?.name}`, age(o, now),
      of('User').map((s) => s.name).join(', '), of('Group').map((s) => s.name).join(', '), of('ServiceAccount').map((s) => `${s.namespace ?? ''}/${s.name}`).join(', ')];
  },
};

function csrCondition(o: KObj): string {
  const types = new Set((o.status?.conditions ?? []).map((c: J) => c.type));
  let s = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) s += ',Failed';
  if (o.status?.certificate) s += ',Issued';
  return s;
}

const webhooks: AdminPrinter = { columns: [NAME, col('Webhooks', 'integer'), AGE], cells: (o, now) => [o.metadata.name!, (o.webhooks ?? []).length, age(o, now)] };

export const ADMIN_PRINTERS: Record<string, AdminPrinter> = {
  'rbac.authorization.k8s.io/roles': role,
  'rbac.authorization.k8s.io/clusterroles': role,
  'rbac.authorization.k8s.io/rolebindings': binding,
  'rbac.authorization.k8s.io/clusterrolebindings': binding,
  'scheduling.k8s.io/priorityclasses': {
    columns: [NAME, col('Value', 'integer'), col('Global-Default', 'boolean'), AGE, col('PreemptionPolicy')],
    cells: (o, now) => [o.metadata.name!, o.value ?? 0, o.globalDefault ?? false, age(o, now), o.preemptionPolicy ?? 'PreemptLowerPriority'],
  },
  'node.k8s.io/runtimeclasses': { columns: [NAME, col('Handler'), AGE], cells: (o, now) => [o.metadata.name!, o.handler ?? '', age(o, now)] },
  'certificates.k8s.io/certificatesigningrequests': {
    columns: [NAME, AGE, col('SignerName'), col('Requestor'), col('RequestedDuration'), col('Condition')],
    cells: (o, now) => [o.metadata.name!, age(o, now), o.spec?.signerName ?? '', o.spec?.username ?? '',
      typeof o.spec?.expirationSeconds === 'number' ? humanDuration(o.spec.expirationSeconds * 1000) : '<none>', csrCondition(o)],
  },
  'apiregistration.k8s.io/apiservices': {
    columns: [NAME, col('Service'), col('Available'), AGE],
    cells: (o, now) => {
      const svc = o.spec?.service ? `${o.spec.service.namespace}/${o.spec.service.name}` : 'Local';
      const c = (o.status?.conditions ?? []).find((x: J) => x.type === 'Available');
      return [o.metadata.name!, svc, !c ? 'Unknown' : c.status === 'True' ? 'True' : `${c.status} (${c.reason})`, age(o, now)];
    },
  },
  'flowcontrol.apiserver.k8s.io/flowschemas': {
    columns: [NAME, col('PriorityLevel'), col('MatchingPrecedence'), col('DistinguisherMethod'), AGE, col('MissingPL')],
    cells: (o, now) => [o.metadata.name!, o.spec?.priorityLevelConfiguration?.name ?? '', o.spec?.matchingPrecedence ?? 0,
      o.spec?.distinguisherMethod?.type ?? '<none>', age(o, now), (o.status?.conditions ?? []).find((c: J) => c.type === 'Dangling')?.status ?? '?'],
  },
  'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations': {
    columns: [NAME, col('Type'), col('NominalConcurrencyShares'), col('Queues'), col('HandSize'), col('QueueLengthLimit'), AGE],
    cells: (o, now) => {
      const l = o.spec?.limited;
      const q = l?.limitResponse?.queuing;
      return [o.metadata.name!, o.spec?.type ?? '', l ? l.nominalConcurrencyShares ?? 0 : '<none>', q ? q.queues : '<none>', q ? q.handSize : '<none>', q ? q.queueLengthLimit : '<none>', age(o, now)];
    },
  },
  'admissionregistration.k8s.io/validatingwebhookconfigurations': webhooks,
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': webhooks,
  'admissionregistration.k8s.io/validatingadmissionpolicies': {
    columns: [NAME, col('Validations', 'integer'), col('ParamKind'), AGE],
    cells: (o, now) => [o.metadata.name!, (o.spec?.validations ?? []).length, o.spec?.paramKind ? `${o.spec.paramKind.apiVersion}/${o.spec.paramKind.kind}` : '<unset>', age(o, now)],
  },
  'admissionregistration.k8s.io/validatingadmissionpolicybindings': {
    columns: [NAME, col('PolicyName'), col('ParamRef'), AGE],
    cells: (o, now) => {
      const pr = o.spec?.paramRef;
      const param = !pr ? '<unset>' : pr.name ? `${pr.namespace ? pr.namespace : '*'}/${pr.name}` : pr.selector ? labelSelectorString(pr.selector) : '<unset>';
      return [o.metadata.name!, o.spec?.policyName ?? '', param, age(o, now)];
    },
  },
  'networking.k8s.io/ingressclasses': {
    columns: [NAME, col('Controller'), col('Parameters'), AGE],
    cells: (o, now) => {
      const p = o.spec?.parameters;
      return [o.metadata.name!, o.spec?.controller ?? '', p ? `${p.kind}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name}` : '<none>', age(o, now)];
    },
  },
  'networking.k8s.io/networkpolicies': {
    columns: [NAME, col('Pod-Selector'), AGE],
    cells: (o, now) => [o.metadata.name!, labelSelectorString(o.spec?.podSelector) || '<none>', age(o, now)],
  },
};

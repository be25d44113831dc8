/**
 * Triage vocabulary: what an analyzer says about the cluster. A Finding names the object to fix
 * (the Deployment, not one of its pods), one category from a fixed list, a severity, one line,
 * the evidence behind it, and — after grouping — the symptoms the same fault causes elsewhere.
 */

/** The fixed category vocabulary (issue 10); the JSON output and the docs use these strings. */
export const CATEGORIES = [
  'crashloop', 'oom', 'image-pull', 'init-failure', 'job-failed', 'unschedulable', 'probe-failure',
  'no-endpoints', 'port-mismatch', 'missing-config', 'pvc-pending', 'ingress-class-missing',
  'ingress-backend-missing', 'hpa-broken', 'pdb-blocking', 'quota-exceeded', 'network-policy',
  'rbac-forbidden', 'missing-serviceaccount', 'webhook-broken', 'node-unhealthy', 'evicted',
  'gitops-degraded',
  // Not in diagnose's headless runs: trouble the cockpit's metering port-forward measured (src/kube/forward-issues.ts).
  'port-forward',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface ObjectRef { kind: string; namespace?: string; name: string }

/** Another finding about the same fault, listed beneath its root cause. */
export interface Symptom { category: Category; object: ObjectRef; summary: string }

export interface Finding {
  category: Category;
  severity: Severity;
  /** The object to fix. */
  object: ObjectRef;
  summary: string;
  /** One line each: the facts (status, events, spec, log lines) the rule relied on. */
  evidence: string[];
  symptoms: Symptom[];
  /** Objects this fault explains (the workload and its pods): other findings on them are symptoms. */
  covers?: string[];
  /** Objects whose faults would explain this finding: if another finding covers one, this is its symptom. */
  dependsOn?: string[];
  /** Objects worth showing next to the evidence (owner, Service, claim, policy, Role). */
  related?: ObjectRef[];
  /** When the fault was first seen (ISO), for ranking by freshness. */
  since?: string;
}

export function refKey(r: ObjectRef): string {
  return `${r.kind}/${r.namespace ?? ''}/${r.name}`;
}

export function refText(r: ObjectRef): string {
  return `${r.kind}/${r.name}${r.namespace ? ` -n ${r.namespace}` : ''}`;
}

/** What a running port-forward of the cockpit measured (its proxy's issues), fed to the port-forward rule. */
export interface ForwardSignal {
  /** As the user sees it: `127.0.0.1:8080 → svc/web:80`. */
  label: string;
  namespace: string;
  kind: 'pod' | 'service';
  name: string;
  /** The pod the forward reaches now. */
  pod?: string;
  issues: Array<{ kind: string; severity: 'warning' | 'error'; message: string; active: boolean; firstSeen: string; lastSeen: string; context?: string }>;
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

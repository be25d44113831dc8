/** Every analyzer, one per category, in root-cause precedence order (earlier wins when two explain the same object). */
import type { Analyzer } from './common.js';
import { nodeUnhealthy } from './node-unhealthy.js';
import { webhookBroken } from './webhook-broken.js';
import { quotaExceeded } from './quota-exceeded.js';
import { missingServiceAccount } from './missing-serviceaccount.js';
import { pvcPending } from './pvc-pending.js';
import { missingConfig } from './missing-config.js';
import { imagePull } from './image-pull.js';
import { rbacForbidden } from './rbac-forbidden.js';
import { networkPolicy } from './network-policy.js';
import { initFailure } from './init-failure.js';
import { oom } from './oom.js';
import { probeFailure } from './probe-failure.js';
import { crashloop } from './crashloop.js';
import { unschedulable } from './unschedulable.js';
import { jobFailed } from './job-failed.js';
import { hpaBroken } from './hpa-broken.js';
import { portMismatch } from './port-mismatch.js';
import { evicted } from './evicted.js';
import { noEndpoints } from './no-endpoints.js';
import { ingressBackendMissing } from './ingress-backend-missing.js';
import { ingressClassMissing } from './ingress-class-missing.js';
import { pdbBlocking } from './pdb-blocking.js';
import { gitopsDegraded } from './gitops-degraded.js';
import { portForward } from './port-forward.js';

export type { Analyzer } from './common.js';

export const ANALYZERS: Analyzer[] = [
  nodeUnhealthy, webhookBroken, quotaExceeded, missingServiceAccount, pvcPending, missingConfig, imagePull, rbacForbidden, networkPolicy,
  initFailure, oom, probeFailure, crashloop, unschedulable, jobFailed, hpaBroken, portMismatch, evicted, noEndpoints,
  ingressBackendMissing, ingressClassMissing, pdbBlocking, gitopsDegraded, portForward,
];

/**
 * Installs every controller of the embedded cluster, the scheduler and the kubelet. Called once
 * by startSim; everything is driven by store watches and stopped through ctx.onStop.
 */
import type { SimContext } from '../context.js';
import { installKubelet } from '../runtime/index.js';
import { clusterIndex } from './cache.js';
import { installCronJobController } from './cronjob.js';
import { installDaemonSetController } from './daemonset.js';
import { installDeploymentController } from './deployment.js';
import { installEndpointsController } from './endpoints.js';
import { installEndpointSliceController } from './endpointslice.js';
import { installEventTtl } from './event-ttl.js';
import { installGarbageCollector } from './garbage-collector.js';
import { installHpaController } from './hpa.js';
import { installJobController } from './job.js';
import { installNamespaceController } from './namespace.js';
import { installNodeLifecycle } from './node-lifecycle.js';
import { installPdbController } from './pdb.js';
import { installReplicaSetController } from './replicaset.js';
import { installResourceQuotaController } from './resourcequota.js';
import { installScheduler } from './scheduler.js';
import { installStatefulSetController } from './statefulset.js';
import { installVolumeBinder } from './volume-binder.js';

export function installControllers(ctx: SimContext): void {
  clusterIndex(ctx);
  installGarbageCollector(ctx);
  installNamespaceController(ctx);
  installDeploymentController(ctx);
  installReplicaSetController(ctx);
  installStatefulSetController(ctx);
  installDaemonSetController(ctx);
  installJobController(ctx);
  installCronJobController(ctx);
  installEndpointsController(ctx);
  installEndpointSliceController(ctx);
  installHpaController(ctx);
  installPdbController(ctx);
  installResourceQuotaController(ctx);
  installVolumeBinder(ctx);
  installNodeLifecycle(ctx);
  installEventTtl(ctx);
  installScheduler(ctx);
  installKubelet(ctx);
}

/** Starts the simulated kubelet (all nodes) and publishes it as ctx.runtime. */
import type { SimContext } from '../context.js';
import { Kubelet } from './kubelet.js';
import { startNodeHeartbeats } from './node.js';
import { startNodeLeases } from './node-lease.js';

export function installKubelet(ctx: SimContext): Kubelet {
  const k = new Kubelet(ctx);
  ctx.runtime = k;
  k.start();
  startNodeHeartbeats(ctx);
  startNodeLeases(ctx);
  return k;
}

export { makeNode, type NodeSpec } from './node.js';

/** Events expire an hour after they were last seen (the apiserver's --event-ttl), in simulated time. */
import type { SimContext } from '../context.js';
import { clusterIndex } from './cache.js';
import { deleteQuietly } from './framework.js';
import { GR } from './util.js';

const TTL_MS = 3_600_000;

export function installEventTtl(ctx: SimContext): void {
  const index = clusterIndex(ctx);
  const sweep = () => {
    const now = Date.now();
    for (const e of index.list(GR.events)) {
      const last = Date.parse(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '') || now;
      if ((now - last) * ctx.clock.timeScale < TTL_MS) continue;
      try {
        deleteQuietly(ctx, GR.events, e.metadata.namespace, e.metadata.name!);
      } catch (err) {
        ctx.log(`event-ttl: ${(err as Error).message}`);
      }
    }
  };
  ctx.onStop(ctx.clock.setInterval(sweep, 300_000));
}

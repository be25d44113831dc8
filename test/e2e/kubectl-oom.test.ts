/**
 * Memory that only grows: a container running `tail /dev/zero` (or `stress --vm` over its limit)
 * is OOMKilled at its limit — exit 137, lastState OOMKilled, restarts — and its memory metric
 * climbs before it; `stress` under its limit just runs.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';

const YAML = `apiVersion: v1
kind: Pod
metadata: {name: hog}
spec:
  containers:
  - name: hog
    image: busybox:1.36
    command: [sh, -c, "tail /dev/zero"]
    resources: {limits: {memory: 512Mi}}
---
apiVersion: v1
kind: Pod
metadata: {name: stress-over}
spec:
  containers:
  - name: stress
    image: polinux/stress
    command: [stress]
    args: [--vm, "1", --vm-bytes, 250M, --vm-hang, "1"]
    resources: {limits: {memory: 100Mi}}
---
apiVersion: v1
kind: Pod
metadata: {name: stress-under}
spec:
  containers:
  - name: stress
    image: polinux/stress
    command: [stress]
    args: [--vm, "1", --vm-bytes, 50M, --vm-hang, "1"]
    resources: {limits: {memory: 100Mi}}
`;

test('tail /dev/zero and stress over the limit are OOMKilled (137) and restart; memory climbs first; stress under the limit runs', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  t.is((await c.kubectl(['apply', '-f', '-'], { input: YAML })).code, 0);
  const status = async (n: string) => JSON.parse((await c.kubectl(['get', 'pod', n, '-o', 'json'])).stdout).status?.containerStatuses?.[0];
  const samples: number[] = [];
  let hog: { restartCount: number; lastState: { terminated?: { reason: string; exitCode: number } } } | undefined;
  for (let i = 0; i < 200; i++) {
    hog = await status('hog');
    const top = await c.kubectl(['top', 'pod', 'hog', '--no-headers']);
    const mi = /(\d+)Mi/.exec(top.stdout)?.[1];
    if (mi && !(hog?.restartCount)) samples.push(Number(mi));
    if ((hog?.restartCount ?? 0) >= 1 && (await status('stress-over'))?.restartCount >= 1) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  t.true((hog?.restartCount ?? 0) >= 1, 'restarted');
  t.is(hog?.lastState.terminated?.reason, 'OOMKilled');
  t.is(hog?.lastState.terminated?.exitCode, 137);
  t.true(samples.some((v, i) => i > 0 && v > samples[i - 1]!), `memory climbed before the kill: ${samples.join(', ')} Mi`);
  t.is((await status('stress-over'))?.lastState.terminated?.reason, 'OOMKilled');
  const under = await status('stress-under');
  t.is(under?.restartCount, 0);
  t.truthy(under?.state.running);
});

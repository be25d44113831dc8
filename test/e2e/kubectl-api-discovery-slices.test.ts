/**
 * The real kubectl against discovery.k8s.io/v1 EndpointSlices and coordination.k8s.io/v1 Leases:
 * `get endpointslices` prints kubectl's columns, and `describe node` shows the node's Lease
 * (instead of "Failed to get lease").
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';

test('kubectl get endpointslices / leases; describe node shows the lease', async (t) => {
  const c = await startTestSim(t, { scenario: 'demo', timeScale: 20 });
  const ok = async (args: string[]) => {
    const r = await c.kubectl(args, { timeoutMs: 30_000 });
    t.is(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  await ok(['wait', '--for=condition=Ready', 'pod', '-l', 'app=frontend', '-n', 'shop', '--timeout=20s']);
  const slices = await ok(['get', 'endpointslices', '-n', 'shop', '-l', 'kubernetes.io/service-name=frontend']);
  t.regex(slices.split('\n')[0]!, /^NAME\s+ADDRESSTYPE\s+PORTS\s+ENDPOINTS\s+AGE$/);
  t.regex(slices, /\nfrontend-[a-z0-9]{5}\s+IPv4\s+80\s+10\.244\.\d+\.\d+,10\.244\.\d+\.\d+\s+\d+s\n/);
  // The Service with no endpoints keeps an empty placeholder slice.
  t.regex(await ok(['get', 'endpointslices', '-n', 'shop', '-l', 'kubernetes.io/service-name=payments', '--no-headers']), /^payments-[a-z0-9]{5}\s+IPv4\s+<unset>\s+<unset>\s+/);
  t.regex(await ok(['get', 'endpointslice', 'kubernetes', '-n', 'default', '--no-headers']), /^kubernetes\s+IPv4\s+6443\s+\S+\s+/);

  const leases = await ok(['get', 'leases', '-n', 'kube-node-lease']);
  t.regex(leases, /^NAME\s+HOLDER\s+AGE\n/);
  t.regex(leases, /\nkai-node-1\s+kai-node-1\s+\d+s\n/);
  const describe = await ok(['describe', 'node', 'kai-node-1']);
  t.notRegex(describe, /Failed to get lease/);
  t.regex(describe, /Lease:\n\s+HolderIdentity:\s+kai-node-1\n\s+AcquireTime:\s+<unset>\n\s+RenewTime:\s+\w{3}, \d\d \w{3} \d{4}/);
});

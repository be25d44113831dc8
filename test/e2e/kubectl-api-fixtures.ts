/** Objects the kubectl API tests start from (written through the sim's InternalApi). */
import type { RunningSim } from '../../src/sim/index.js';
import type { KObj } from '../../src/sim/types.js';

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const GR = {
  ns: { group: '', resource: 'namespaces' }, nodes: { group: '', resource: 'nodes' }, pods: { group: '', resource: 'pods' },
  svc: { group: '', resource: 'services' }, deploy: { group: 'apps', resource: 'deployments' },
};

export function node(name: string, ip: string): KObj {
  return {
    apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, 'node-role.kubernetes.io/worker': '' } },
    spec: {},
    status: {
      capacity: { cpu: '4', memory: '16Gi', pods: '110' }, allocatable: { cpu: '4', memory: '16Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now(), lastTransitionTime: now() }],
      addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }],
      nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.22', architecture: 'amd64', operatingSystem: 'linux' },
    },
  };
}

export function pod(ns: string, name: string, nodeName: string, labels: Record<string, string>, state: 'running' | 'crash' | 'completed', ip: string): KObj {
  const t = now();
  const cs = state === 'running'
    ? { ready: true, started: true, restartCount: 0, state: { running: { startedAt: t } } }
    : state === 'crash'
      ? { ready: false, started: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s restarting failed container' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', startedAt: t, finishedAt: t } } }
      : { ready: false, started: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: t, finishedAt: t } } };
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels },
    spec: { nodeName, containers: [{ name: 'app', image: 'ghcr.io/kai/app:1.0' }] },
    status: {
      phase: state === 'completed' ? 'Succeeded' : 'Running', podIP: ip, podIPs: [{ ip }], hostIP: '10.0.0.1', startTime: t,
      conditions: [{ type: 'Ready', status: state === 'running' ? 'True' : 'False', lastTransitionTime: t }],
      containerStatuses: [{ name: 'app', image: 'ghcr.io/kai/app:1.0', imageID: '', containerID: 'containerd://abc', ...cs }],
    },
  };
}

/** Two nodes, a `shop` namespace, four pods, a deployment, a service and an event. */
export function seed(sim: RunningSim): void {
  const api = sim.ctx.api;
  api.create(GR.nodes, node('node-a', '10.0.0.1'));
  api.create(GR.nodes, node('node-b', '10.0.0.2'));
  api.create(GR.ns, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
  api.create(GR.pods, pod('shop', 'frontend-1', 'node-a', { app: 'frontend', tier: 'web' }, 'running', '10.244.0.5'));
  api.create(GR.pods, pod('shop', 'api-1', 'node-b', { app: 'api', tier: 'backend' }, 'running', '10.244.1.7'));
  const jokes = api.create(GR.pods, pod('shop', 'jokes-1', 'node-b', { app: 'jokes', tier: 'backend' }, 'crash', '10.244.1.9'));
  api.create(GR.pods, pod('default', 'migrate-1', 'node-a', { app: 'migrate' }, 'completed', '10.244.0.8'));
  api.create(GR.deploy, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'frontend', namespace: 'shop', labels: { app: 'frontend' } },
    spec: { replicas: 1, selector: { matchLabels: { app: 'frontend' } }, template: { metadata: { labels: { app: 'frontend' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
  });
  api.create(GR.svc, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'frontend', namespace: 'shop' }, spec: { selector: { app: 'frontend' }, ports: [{ port: 80, targetPort: 8080 }] } });
  api.recordEvent(jokes, 'Warning', 'BackOff', 'Back-off restarting failed container app in pod jokes-1_shop', { component: 'kubelet', host: 'node-b' });
  api.recordEvent(jokes, 'Warning', 'BackOff', 'Back-off restarting failed container app in pod jokes-1_shop', { component: 'kubelet', host: 'node-b' });
}

/** The kubeconfig that points kubectl (or any client) at a running sim. */
import { chmodSync, writeFileSync } from 'node:fs';
import YAML from 'yaml';

export function kubeconfigYaml(url: string, caPem: string, token: string, contextName = 'kai-demo'): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: contextName, cluster: { server: url, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } }],
    users: [{ name: contextName, user: { token } }],
    contexts: [{ name: contextName, context: { cluster: contextName, user: contextName, namespace: 'default' } }],
    'current-context': contextName,
    preferences: {},
  });
}

/** Writes it readable by the owner only (it holds the token). */
export function writeKubeconfigFile(path: string, yaml: string): void {
  writeFileSync(path, yaml, { mode: 0o600 });
  chmodSync(path, 0o600);
}

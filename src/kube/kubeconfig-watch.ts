/**
 * Watches the kubeconfig files in use (chokidar) and says what changed for the current context:
 * the server address, the certificate authority, or the credentials — e.g. an embedded cluster
 * restarted with `sim serve --port N` writes a new CA and token. The cockpit then reconnects
 * with the new contents instead of failing on the old certificate forever.
 */
import { createHash } from 'node:crypto';
import { watch } from 'chokidar';
import { loadKubeConfig, type KubeTarget, type LoadedKubeConfig } from './kubeconfig.js';

export interface KubeconfigChange { loaded: LoadedKubeConfig; what: string[] }

const hash = (v: unknown) => createHash('sha256').update(JSON.stringify(v ?? null)).digest('hex').slice(0, 16);

/** What of the current context differs between two loads: 'server', 'certificate authority', 'credentials'. */
export function changedParts(a: LoadedKubeConfig, b: LoadedKubeConfig): string[] {
  const out: string[] = [];
  const ca = (l: LoadedKubeConfig) => { const c = l.kc.getCurrentCluster() as unknown as Record<string, unknown> | undefined; return [c?.['certificate-authority-data'], c?.['certificate-authority'], c?.caData, c?.caFile, c?.['insecure-skip-tls-verify'], c?.skipTLSVerify]; };
  const user = (l: LoadedKubeConfig) => l.kc.getCurrentUser();
  if (a.server !== b.server) out.push('server');
  if (hash(ca(a)) !== hash(ca(b))) out.push('certificate authority');
  if (hash(user(a)) !== hash(user(b))) out.push('credentials');
  return out;
}

/** Calls `onChange` (debounced) when the current context's server, CA or credentials change in the files. */
export function watchKubeconfig(current: () => LoadedKubeConfig, target: KubeTarget, onChange: (c: KubeconfigChange) => void, onError: (message: string) => void): () => Promise<void> {
  const files = current().files;
  if (!files.length) return async () => {};
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const cur = current();
    let next: LoadedKubeConfig | undefined;
    try {
      next = loadKubeConfig({ ...target, context: cur.context, namespace: cur.namespace });
    } catch (e) {
      onError(`kubeconfig changed but cannot be read: ${(e as Error).message.split('\n')[0]}`);
      return;
    }
    if (!next) return;
    const what = changedParts(cur, next);
    if (what.length) onChange({ loaded: next, what });
  };
  const w = watch(files, { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 25 } });
  w.on('all', () => { clearTimeout(timer); timer = setTimeout(check, 150); });
  w.on('error', () => undefined);
  return async () => { clearTimeout(timer); await w.close(); };
}

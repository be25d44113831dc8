/**
 * TLS and auth of a kubeconfig context applied to Node request options.
 *
 * The common forms are done here, without @kubernetes/client-node (it takes about a second to
 * load, which the cockpit's first frame would wait for): bearer token or token file, client
 * certificate and key (data or file), CA (data or file), insecure-skip-tls-verify,
 * tls-server-name, basic auth, impersonation (`as`). Exec plugins, auth providers (oidc, gcp,
 * azure, token files by provider) and proxy-url go to client-node, loaded only then, so they
 * behave exactly as before.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { ClusterEntry, ParsedKubeConfig, UserEntry } from './kubeconfig.js';

export interface CredentialOptions {
  /** Give the agent keep-alive (long-lived clients reuse connections and TLS sessions). */
  keepAlive?: boolean;
}

/** Whether this context needs client-node to build its credentials or its agent. */
export function needsClientNode(cluster: ClusterEntry | undefined, user: UserEntry | undefined): boolean {
  return !!(user?.exec || user?.authProvider || cluster?.proxyUrl);
}

export async function applyCredentials(kc: ParsedKubeConfig, opts: https.RequestOptions, extra: CredentialOptions = {}): Promise<void> {
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (needsClientNode(cluster, user)) {
    await (await kc.toClientNode()).applyToHTTPSOptions(opts);
    // client-node builds its agent without keep-alive; the flag is read per request.
    if (extra.keepAlive && opts.agent) (opts.agent as unknown as { keepAlive: boolean }).keepAlive = true;
    return;
  }
  if (cluster?.skipTLSVerify) opts.rejectUnauthorized = false;
  if (cluster?.tlsServerName) opts.servername = cluster.tlsServerName;
  const ca = fileOrData(cluster?.caFile, cluster?.caData);
  if (ca) opts.ca = ca;
  const cert = fileOrData(user?.certFile, user?.certData);
  if (cert) opts.cert = cert;
  const key = fileOrData(user?.keyFile, user?.keyData);
  if (key) opts.key = key;
  const headers = (opts.headers ??= {}) as http.OutgoingHttpHeaders;
  if (user?.impersonateUser) headers['Impersonate-User'] = user.impersonateUser;
  const token = user?.token ?? (user?.tokenFile ? readTokenFile(user.tokenFile) : undefined);
  if (token) headers.Authorization = `Bearer ${token}`;
  if (user?.username) opts.auth = `${user.username}:${user.password ?? ''}`;

  const keepAlive = extra.keepAlive ?? false;
  if (cluster?.server.startsWith('http:')) {
    // Plain HTTP (kubectl proxy, a local test server): kubectl allows it, so do we.
    opts.agent = new http.Agent({ keepAlive });
    return;
  }
  const agentOptions: https.AgentOptions = { keepAlive, ca: opts.ca, cert: opts.cert, key: opts.key, servername: opts.servername };
  // Only when configured: otherwise NODE_TLS_REJECT_UNAUTHORIZED decides, as in client-node.
  if (opts.rejectUnauthorized !== undefined) agentOptions.rejectUnauthorized = opts.rejectUnauthorized;
  opts.agent = new https.Agent(agentOptions);
}

/** A token file's content, as client-go reads it (surrounding whitespace dropped). */
export function readTokenFile(file: string): string {
  return readFileSync(file, 'utf8').trim();
}

/** A file wins over inline base64 data, as in client-node (kubectl refuses a file and data both). */
function fileOrData(file: string | undefined, data: string | undefined): Buffer | undefined {
  if (file) return readFileSync(file);
  if (data) return Buffer.from(data, 'base64');
  return undefined;
}

/**
 * Loads kubeconfig exactly as kubectl does: --kubeconfig, else $KUBECONFIG (several files,
 * merged, first wins), else ~/.kube/config; then --context and --namespace overrides.
 *
 * Parsed with `yaml` directly: @kubernetes/client-node takes about a second to load, and the
 * cockpit's first frame waits for the kubeconfig. client-node is loaded only when a request
 * needs it (exec plugins, auth providers, proxies; see credentials.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import type https from 'node:https';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { parseDocument, visit } from 'yaml';
import type { KubeConfig } from '@kubernetes/client-node';
import { applyCredentials, readTokenFile, type CredentialOptions } from './credentials.js';

export interface KubeTarget {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

/** A cluster entry, with client-node's field names (the slow path hands entries to it as they are). */
export interface ClusterEntry {
  name: string;
  server: string;
  caData?: string;
  /** Absolute (relative paths are resolved against the kubeconfig file's folder, as kubectl does). */
  caFile?: string;
  skipTLSVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
}

export interface UserEntry {
  name: string;
  token?: string;
  /** Absolute; read when credentials are prepared (again on every re-prepare, like client-go). */
  tokenFile?: string;
  certData?: string;
  certFile?: string;
  keyData?: string;
  keyFile?: string;
  username?: string;
  password?: string;
  impersonateUser?: string;
  exec?: Record<string, unknown>;
  authProvider?: { name?: string; config?: Record<string, unknown> };
}

export interface ContextEntry {
  name: string;
  cluster: string;
  user?: string;
  namespace?: string;
}

/**
 * The merged kubeconfig. Its methods have the names and meaning of the subset of client-node's
 * `KubeConfig` that kai-tui uses, so callers read the same either way.
 */
export class ParsedKubeConfig {
  private clientNode?: Promise<KubeConfig>;

  constructor(
    readonly clusters: ClusterEntry[] = [],
    readonly users: UserEntry[] = [],
    readonly contexts: ContextEntry[] = [],
    private currentContext = '',
  ) {}

  getContexts(): ContextEntry[] {
    return this.contexts;
  }
  getClusters(): ClusterEntry[] {
    return this.clusters;
  }
  getUsers(): UserEntry[] {
    return this.users;
  }
  getCurrentContext(): string {
    return this.currentContext;
  }
  setCurrentContext(name: string): void {
    this.currentContext = name;
  }
  getContextObject(name: string): ContextEntry | undefined {
    return this.contexts.find((c) => c.name === name);
  }
  getCluster(name: string): ClusterEntry | undefined {
    return this.clusters.find((c) => c.name === name);
  }
  getUser(name: string | undefined): UserEntry | undefined {
    return name === undefined ? undefined : this.users.find((u) => u.name === name);
  }
  getCurrentCluster(): ClusterEntry | undefined {
    const ctx = this.getContextObject(this.currentContext);
    return ctx ? this.getCluster(ctx.cluster) : undefined;
  }
  getCurrentUser(): UserEntry | undefined {
    return this.getUser(this.getContextObject(this.currentContext)?.user);
  }

  /**
   * TLS and auth of the current context into request options (ca, cert, key, servername,
   * rejectUnauthorized, headers, auth, agent), like client-node's method of the same name.
   */
  applyToHTTPSOptions(opts: https.RequestOptions, extra: CredentialOptions = {}): Promise<void> {
    return applyCredentials(this, opts, extra);
  }

  /** client-node's KubeConfig for the same entries, loaded on first use and then kept (its exec cache lives in it). */
  toClientNode(): Promise<KubeConfig> {
    this.clientNode ??= (async () => {
      const { KubeConfig } = await import('@kubernetes/client-node');
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: this.clusters.map((c) => ({ ...c })),
        users: this.users.map((u) => ({ ...u, token: u.token ?? (u.tokenFile ? readTokenFile(u.tokenFile) : undefined) })),
        contexts: this.contexts.map((c) => ({ ...c })),
        currentContext: this.currentContext,
      } as Parameters<KubeConfig['loadFromOptions']>[0]);
      return kc;
    })();
    // A failure (a token file that vanished) must not stick.
    this.clientNode.catch(() => (this.clientNode = undefined));
    return this.clientNode;
  }
}

export interface LoadedKubeConfig {
  kc: ParsedKubeConfig;
  context: string;
  cluster: string;
  server: string;
  namespace: string;
  /** Where `namespace` came from: -n, the context, or neither ('default' then; a setting may override). */
  namespaceFrom?: 'flag' | 'context' | 'default';
  files: string[];
}

/** The kubeconfig files kubectl would read, existing ones only. */
export function kubeconfigFiles(target: KubeTarget = {}, env: NodeJS.ProcessEnv = process.env): string[] {
  if (target.kubeconfig) return [target.kubeconfig];
  if (env.KUBECONFIG) return env.KUBECONFIG.split(delimiter).filter((f) => f && existsSync(f));
  const def = join(homedir(), '.kube', 'config');
  return existsSync(def) ? [def] : [];
}

export function loadKubeConfig(target: KubeTarget = {}, env: NodeJS.ProcessEnv = process.env): LoadedKubeConfig | undefined {
  const files = kubeconfigFiles(target, env);
  if (files.length === 0) return undefined;
  if (target.kubeconfig && !existsSync(target.kubeconfig)) throw new Error(`kubeconfig file not found: ${target.kubeconfig}`);
  const kc = readFile(files[0]!);
  // Merge like kubectl: the first file to set a name wins; current-context from the first that has one.
  for (const f of files.slice(1)) {
    const more = readFile(f);
    for (const c of more.clusters) if (!kc.clusters.some((x) => x.name === c.name)) kc.clusters.push(c);
    for (const u of more.users) if (!kc.users.some((x) => x.name === u.name)) kc.users.push(u);
    for (const c of more.contexts) if (!kc.contexts.some((x) => x.name === c.name)) kc.contexts.push(c);
    if (!kc.getCurrentContext() && more.getCurrentContext()) kc.setCurrentContext(more.getCurrentContext());
  }
  if (target.context) {
    if (!kc.getContextObject(target.context)) throw new Error(`context "${target.context}" not found in ${files.join(', ')}`);
    kc.setCurrentContext(target.context);
  }
  const ctx = kc.getContextObject(kc.getCurrentContext());
  if (!ctx) throw new Error(`no current context in ${files.join(', ')}; choose one with --context`);
  const cluster = kc.getCluster(ctx.cluster);
  if (!cluster) throw new Error(`context "${ctx.name}" names cluster "${ctx.cluster}", which is not in ${files.join(', ')}`);
  const namespace = target.namespace ?? ctx.namespace ?? 'default';
  const namespaceFrom = target.namespace ? 'flag' : ctx.namespace ? 'context' : 'default';
  return { kc, context: ctx.name, cluster: cluster.name, server: cluster.server, namespace, namespaceFrom, files };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
/** YAML scalars as strings (a numeric token or name is still a string to kubectl). */
const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : typeof v === 'object' ? undefined : String(v));
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** One kubeconfig file; an empty file is an empty config (as kubectl reads it), a broken one names itself. */
function readFile(file: string): ParsedKubeConfig {
  try {
    const text = readFileSync(file, 'utf8');
    if (text.trim() === '') return new ParsedKubeConfig();
    const doc = parseYaml(text);
    if (doc === null || doc === undefined) return new ParsedKubeConfig();
    if (!isObj(doc)) throw new Error('not a kubeconfig (expected a mapping with clusters, users and contexts)');
    const dir = dirname(file);
    return new ParsedKubeConfig(
      list(doc.clusters).map((e, i) => clusterEntry(e, i, dir)),
      list(doc.users).map((e, i) => userEntry(e, i, dir)),
      list(doc.contexts).map((e, i) => contextEntry(e, i)),
      str(doc['current-context']) ?? '',
    );
  } catch (err) {
    // The yaml library ends its first line with "at line L, column C:" and quotes the source
    // below: keep one line, without the dangling colon.
    const msg = String((err as Error)?.message ?? err).split('\n')[0]!.replace(/:\s*$/, '');
    throw new Error(`cannot read kubeconfig ${file}: ${msg}`);
  }
}

/**
 * YAML as kubectl reads a kubeconfig: its Go decoder keeps a number-looking scalar in a string
 * field as written (`token: 00123` is "00123", not 123), so numbers stay their source text.
 */
function parseYaml(text: string): unknown {
  const doc = parseDocument(text, { merge: true });
  // Warnings are not printed (they would land on the cockpit's screen); errors are thrown.
  if (doc.errors.length) throw doc.errors[0];
  visit(doc, {
    Scalar(_key, node) {
      if ((typeof node.value === 'number' || typeof node.value === 'bigint') && typeof node.source === 'string') node.value = node.source;
    },
  });
  return doc.toJS();
}

/** YAML 1.1 booleans, as kubectl's decoder reads `insecure-skip-tls-verify: yes`. */
const TRUE_WORDS = new Set(['true', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'y', 'Y']);
const isTrue = (v: unknown) => v === true || (typeof v === 'string' && TRUE_WORDS.has(v));

/** Paths in a kubeconfig are relative to the file that names them (kubectl's ResolvePaths). */
const resolvePath = (dir: string, p: string | undefined) => (p && !isAbsolute(p) ? join(dir, p) : p);

// Entry checks and messages as client-node's loader has them (the file names itself around them).
function clusterEntry(e: unknown, i: number, dir: string): ClusterEntry {
  const name = isObj(e) ? str(e.name) : undefined;
  if (!name) throw new Error(`clusters[${i}].name is missing`);
  const c = (e as Obj).cluster;
  if (!isObj(c)) throw new Error(`clusters[${i}].cluster is missing`);
  const server = str(c.server);
  if (!server) throw new Error(`clusters[${i}].cluster.server is missing`);
  return {
    name,
    server: server.replace(/\/$/, ''),
    caData: str(c['certificate-authority-data']),
    caFile: resolvePath(dir, str(c['certificate-authority'])),
    skipTLSVerify: isTrue(c['insecure-skip-tls-verify']),
    tlsServerName: str(c['tls-server-name']),
    proxyUrl: str(c['proxy-url']),
  };
}

function userEntry(e: unknown, i: number, dir: string): UserEntry {
  const name = isObj(e) ? str(e.name) : undefined;
  if (!name) throw new Error(`users[${i}].name is missing`);
  const u = isObj((e as Obj).user) ? ((e as Obj).user as Obj) : {};
  const exec = isObj(u.exec) ? { ...u.exec } : undefined;
  // kubectl resolves a command given as a relative path (./bin/cred) against the file too.
  if (exec && typeof exec.command === 'string' && exec.command.includes('/')) exec.command = resolvePath(dir, exec.command);
  return {
    name,
    token: str(u.token),
    tokenFile: resolvePath(dir, str(u['token-file'])),
    certData: str(u['client-certificate-data']),
    certFile: resolvePath(dir, str(u['client-certificate'])),
    keyData: str(u['client-key-data']),
    keyFile: resolvePath(dir, str(u['client-key'])),
    username: str(u.username),
    password: str(u.password),
    impersonateUser: str(u.as),
    exec,
    authProvider: isObj(u['auth-provider']) ? (u['auth-provider'] as UserEntry['authProvider']) : undefined,
  };
}

function contextEntry(e: unknown, i: number): ContextEntry {
  const name = isObj(e) ? str(e.name) : undefined;
  if (!name) throw new Error(`contexts[${i}].name is missing`);
  const c = (e as Obj).context;
  if (!isObj(c)) throw new Error(`contexts[${i}].context is missing`);
  const cluster = str(c.cluster);
  if (!cluster) throw new Error(`contexts[${i}].context.cluster is missing`);
  return { name, cluster, user: str(c.user), namespace: str(c.namespace) };
}

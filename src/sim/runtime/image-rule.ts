/**
 * Which images the emulated registries have — a documented rule (docs/demo-cluster.md), close
 * to what users type:
 *   - names containing `does-not-exist`, `nonexistent` or a `.invalid` registry: not found;
 *   - Docker Hub's official images (nginx, busybox, redis, postgres…): `latest`, their word tags
 *     (alpine, slim, bookworm…) and versions within the range that exists; another tag is
 *     "not found" (`nginx:1.99` — the registry has no such manifest);
 *   - a near-miss of an official name (`ngnix`, `postgress`, `busybx`): the repository does not
 *     exist ("pull access denied, repository does not exist or may require authorization");
 *   - a private registry (a host ending in .corp, .internal, .local, .lan or `localhost:PORT`)
 *     needs an imagePullSecret whose dockerconfigjson names the host ("401 Unauthorized");
 *   - anything else (other Docker Hub users, ghcr.io, quay.io, registry.k8s.io…) exists.
 * Messages are containerd's, as kubelet reports them.
 */
import { normaliseImage } from './images.js';

export type PullProblem = 'not-found' | 'no-repository' | 'unauthorized';

/** Official images: the versions that exist as [lowest, highest] major.minor. */
const OFFICIAL: Record<string, [number, number]> = {
  nginx: [1.0, 1.29], busybox: [1.0, 1.37], redis: [2.6, 8.2], postgres: [9.0, 17.6], alpine: [2.6, 3.22],
  python: [2.7, 3.14], node: [0.1, 24.9], golang: [1.0, 1.25], ubuntu: [10.04, 25.10], debian: [6.0, 13.1],
  memcached: [1.4, 1.6], mysql: [5.5, 9.4], mongo: [3.0, 8.0], httpd: [2.2, 2.4], traefik: [1.0, 3.5],
  rabbitmq: [3.0, 4.1], mariadb: [10.0, 12.0], haproxy: [1.4, 3.2], caddy: [2.0, 2.10], registry: [2.0, 3.0],
};
const WORDS = new Set(['latest', 'alpine', 'slim', 'bookworm', 'bullseye', 'buster', 'trixie', 'jammy', 'noble', 'focal', 'stable', 'mainline', 'perl', 'lts', 'uclibc', 'glibc', 'musl', 'otel', 'management', 'windowsservercore']);
const PUBLIC = /^(docker\.io|ghcr\.io|quay\.io|registry\.k8s\.io|k8s\.gcr\.io|gcr\.io|[a-z0-9-]+\.gcr\.io|[a-z0-9-]+\.pkg\.dev|public\.ecr\.aws|mcr\.microsoft\.com|nvcr\.io|registry\.gitlab\.com|icr\.io|registry\.example\.com)$/;

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length]![b.length]!;
}

/** A version-like tag's major.minor as a number (1.27.3-alpine → 1.27), or undefined. */
function versionOf(tag: string): number | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?/.exec(tag);
  if (!m) return undefined;
  return Number(`${m[1]}.${m[2] ?? '0'}`);
}

function officialTagExists(range: [number, number], tag: string): boolean {
  const parts = tag.split('-');
  const v = versionOf(parts[0]!);
  if (v === undefined) return parts.every((p) => WORDS.has(p));
  // Compare as major.minor with the minor as an integer (1.9 < 1.27).
  const [maj, min] = [Math.trunc(v), Number(String(v).split('.')[1] ?? 0)];
  const lo = [Math.trunc(range[0]), Number(String(range[0]).split('.')[1] ?? 0)];
  const hi = [Math.trunc(range[1]), Number(String(range[1]).split('.')[1] ?? 0)];
  const key = maj * 1000 + min;
  return key >= lo[0]! * 1000 + lo[1]! && key <= hi[0]! * 1000 + hi[1]! && parts.slice(1).every((p) => WORDS.has(p) || /^\d+$/.test(p));
}

/** The registry host of an image reference (docker.io for Docker Hub). */
export function registryOf(image: string): string {
  return normaliseImage(image).split('/')[0]!;
}

/** Why pulling `image` fails, or undefined when the registry has it. `authHosts`: the pod's pull-secret registries. */
export function pullProblem(image: string, authHosts: string[] = []): PullProblem | undefined {
  if (/does-not-exist|doesnotexist|nonexistent|\.invalid\//i.test(image)) return 'not-found';
  const ref = normaliseImage(image);
  const host = ref.split('/')[0]!;
  if (host !== 'docker.io' && !PUBLIC.test(host)) {
    const privateHost = /\.(corp|internal|local|lan|intranet)(:\d+)?$/.test(host) || /^localhost:\d+$/.test(host);
    if (privateHost && !authHosts.some((h) => h.replace(/^https?:\/\//, '').replace(/\/.*$/, '') === host)) return 'unauthorized';
    return undefined;
  }
  const m = /^docker\.io\/library\/([^:@]+)(?::([^@]+))?/.exec(ref);
  if (!m) return undefined;
  const [, name, tag = 'latest'] = m;
  const range = OFFICIAL[name!];
  if (range) return officialTagExists(range, tag) ? undefined : 'not-found';
  if (name!.length >= 4 && Object.keys(OFFICIAL).some((k) => editDistance(k, name!) <= 2)) return 'no-repository';
  return undefined;
}

/** containerd's error, as kubelet puts it in the Failed event (after `Failed to pull image "X": `). */
export function pullMessage(image: string, problem: PullProblem): string {
  const ref = normaliseImage(image);
  const head = `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}"`;
  if (problem === 'not-found') return `${head}: ${ref}: not found`;
  if (problem === 'no-repository') return `rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
  const host = ref.split('/')[0]!;
  const repo = ref.slice(host.length + 1).replace(/[:@].*$/, '');
  return `rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://${host}/token?scope=repository%3A${encodeURIComponent(repo)}%3Apull&service=${host}: 401 Unauthorized`;
}

/**
 * Hints for the exec shell: what this container is when a shell opens, and what an error the
 * shell just printed means, with a suggested next command. Rules first (they work with no
 * model); the model may add a one-line explanation (shell-hint prompt). Hints never type into
 * the shell by themselves: the person copies a suggestion into the prompt line with a key.
 */

export interface ShellHint {
  /** One line: what it means. */
  text: string;
  /** A command the person may copy into the prompt line (never run by kai-tui). */
  suggest?: string;
  source: 'rule' | 'model' | 'container';
}

interface Rule { re: RegExp; hint: (m: RegExpExecArray, lines: string[]) => ShellHint }

const FETCHERS = ['curl', 'wget'];

const RULES: Rule[] = [
  {
    re: /(?:^|\s)(?:sh|bash|ash|zsh)?:?\s*(?:line \d+:\s*)?([\w.+-]+): (?:command )?not found/,
    hint: (m, lines) => {
      const cmd = m[1]!;
      const other = FETCHERS.find((f) => f !== cmd && !lines.some((l) => new RegExp(`\\b${f}: (command )?not found`).test(l)));
      if (FETCHERS.includes(cmd) && other) {
        const url = lines.join('\n').match(new RegExp(`${cmd}\\s+(?:-\\S+\\s+)*(\\S+)`))?.[1] ?? 'http://SERVICE:PORT/';
        return { text: `${cmd}: not found — this image has no ${cmd}; ${other} may be there`, suggest: other === 'wget' ? `wget -qO- ${url}` : `curl -sS ${url}`, source: 'rule' };
      }
      return { text: `'${cmd}' is not installed in this image (minimal images ship few tools)`, suggest: 'ls /bin /usr/bin', source: 'rule' };
    },
  },
  { re: /Permission denied/i, hint: () => ({ text: 'permission denied — the container probably runs as a non-root user (securityContext.runAsUser); write to /tmp or a mounted emptyDir', suggest: 'id', source: 'rule' }) },
  { re: /Read-only file system/i, hint: () => ({ text: 'the root filesystem is read-only (readOnlyRootFilesystem); write to a mounted volume instead', suggest: 'mount | grep -v " ro,"', source: 'rule' }) },
  { re: /Connection refused/i, hint: () => ({ text: 'connection refused — nothing listens on that address/port: check the container port and the Service targetPort, and that the server started', suggest: 'netstat -tln', source: 'rule' }) },
  { re: /(bad address|Could not resolve host|Name or service not known|NXDOMAIN|server can't find)/i, hint: () => ({ text: 'the name does not resolve — use SERVICE.NAMESPACE.svc.cluster.local and check the Service exists', suggest: 'cat /etc/resolv.conf', source: 'rule' }) },
  { re: /(timed out|Operation timed out|Connection timed out)/i, hint: () => ({ text: 'the connection timed out — a NetworkPolicy may drop it, or the target pod is not ready', source: 'rule' }) },
  { re: /No such file or directory/i, hint: () => ({ text: 'no such file — a ConfigMap/Secret mount may be missing or mounted elsewhere (see the pod\'s volumeMounts)', suggest: 'mount | grep -E "configmap|secret|/etc"', source: 'rule' }) },
  { re: /(Forbidden|forbidden: User|403)/, hint: () => ({ text: "forbidden — the pod's ServiceAccount lacks an RBAC permission for that request (see kai-tui diagnose for rbac-forbidden)", suggest: 'cat /var/run/secrets/kubernetes.io/serviceaccount/namespace', source: 'rule' }) },
  { re: /\bKilled\b/, hint: () => ({ text: 'the process was killed — often the memory limit (OOM); check the container\'s limits and lastState', suggest: 'cat /sys/fs/cgroup/memory.max', source: 'rule' }) },
];

/** The newest error among the last lines (the line under the cursor is the prompt). */
export function ruleHint(lines: string[]): ShellHint | undefined {
  const recent = lines.slice(-6);
  for (let i = recent.length - 1; i >= 0; i--) {
    for (const r of RULES) {
      const m = r.re.exec(recent[i]!);
      if (m) return r.hint(m, recent);
    }
  }
  return undefined;
}

/** The error line a hint is about (to ask the model about it, and not twice). */
export function errorLine(lines: string[]): string | undefined {
  return lines.slice(-6).reverse().find((l) => RULES.some((r) => r.re.test(l)));
}

interface ContainerLike {
  name: string; image?: string; command?: string[]; args?: string[];
  ports?: Array<{ containerPort: number; name?: string }>;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
  readinessProbe?: unknown; livenessProbe?: unknown;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
}
interface PodLikeForHint { spec?: { containers?: ContainerLike[]; volumes?: Array<{ name: string; configMap?: { name: string }; secret?: { secretName: string } }> } }

/** What the container is, in one line (shown when the shell opens). */
export function containerHint(pod: PodLikeForHint, container: string | undefined): ShellHint | undefined {
  const c = (pod.spec?.containers ?? []).find((x) => x.name === container) ?? pod.spec?.containers?.[0];
  if (!c) return undefined;
  const parts = [`${c.name}: ${c.image ?? '?'}`];
  const cmd = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
  if (cmd) parts.push(`runs ${cmd.slice(0, 60)}`);
  if (c.ports?.length) parts.push(`ports ${c.ports.map((p) => p.containerPort).join(',')}`);
  const vols = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v.configMap ? `configmap/${v.configMap.name}` : v.secret ? `secret/${v.secret.secretName}` : '']));
  const mounts = (c.volumeMounts ?? []).map((m) => (vols.get(m.name) ? `${vols.get(m.name)} at ${m.mountPath}` : '')).filter(Boolean);
  const envFrom = (c.envFrom ?? []).map((e) => (e.configMapRef ? `configmap/${e.configMapRef.name}` : e.secretRef ? `secret/${e.secretRef.name}` : '')).filter(Boolean);
  if (mounts.length) parts.push(`mounts ${mounts.join(', ')}`);
  if (envFrom.length) parts.push(`env from ${envFrom.join(', ')}`);
  const probes = [c.readinessProbe ? 'readiness' : '', c.livenessProbe ? 'liveness' : ''].filter(Boolean);
  if (probes.length) parts.push(`${probes.join('+')} probe`);
  const port = c.ports?.[0]?.containerPort;
  return { text: parts.join('; '), suggest: port ? `wget -qO- http://localhost:${port}/` : 'env | sort', source: 'container' };
}

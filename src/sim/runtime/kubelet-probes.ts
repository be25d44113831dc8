/**
 * Container probes as the kubelet runs them: exec probes in the emulated shell, HTTP/TCP probes against
 * the container's servers (probes.ts), every periodSeconds with the failure/success thresholds —
 * readiness flips `ready`, liveness kills the container — and the scripted readiness-/liveness-fail
 * behaviours with the real Unhealthy/Killing events.
 */
import type { KObj } from '../types.js';
import { isNetProbe, runNetProbe, type ProbeResult } from './probes.js';
import type { CRun, PRun } from './kubelet-types.js';
import type { CommandRunner } from './types.js';

/** What the probes need of the kubelet. */
export interface ProbeHost {
  readonly timer: { setTimeout(fn: () => void, ms: number): () => void; setInterval(fn: () => void, ms: number): () => void };
  runner(): CommandRunner | undefined;
  stopped(): boolean;
  event(run: PRun, c: CRun | undefined, type: 'Normal' | 'Warning', reason: string, message: string): void;
  markDirty(run: PRun): void;
  /** A timer that belongs to the current container instance. */
  later(run: PRun, c: CRun, fn: () => void, simMs: number): void;
  exited(run: PRun, c: CRun, exitCode: number, reason: string, message?: string): void;
}

export class ContainerProbes {
  constructor(private readonly k: ProbeHost) {}

  failureMessage(run: PRun, c: CRun, probe: KObj | undefined, kind: 'Readiness' | 'Liveness'): string {
    const ports = ((c.spec.ports ?? []) as KObj[]).map((p) => p.containerPort);
    if (probe?.exec) return `${kind} probe failed: `;
    if (probe?.tcpSocket) return `${kind} probe failed: dial tcp ${run.podIP}:${probe.tcpSocket.port}: connect: connection refused`;
    const code = kind === 'Readiness' ? 503 : 500;
    if (probe?.httpGet || ports.length) return `${kind} probe failed: HTTP probe failed with statuscode: ${code}`;
    return `${kind} probe failed: `;
  }

  /** Starts a new instance's probes: readiness (or ready at once without one) and an exec/net liveness probe. */
  start(run: PRun, c: CRun): void {
    if (c.init) return;
    const probe = c.spec.readinessProbe as KObj | undefined;
    const instance = c.containerID;
    const liveness = c.spec.livenessProbe as KObj | undefined;
    if (liveness?.exec && this.k.runner() && c.b.kind !== 'liveness-fail') this.execProbe(run, c, liveness, 'Liveness');
    if (isNetProbe(liveness) && c.b.kind !== 'liveness-fail') this.netProbe(run, c, liveness!, 'Liveness');
    if (probe?.exec && this.k.runner() && c.b.kind !== 'readiness-fail') return this.execProbe(run, c, probe, 'Readiness');
    if (isNetProbe(probe) && c.b.kind !== 'readiness-fail') return this.netProbe(run, c, probe!, 'Readiness');
    if (c.b.kind === 'readiness-fail') {
      const period = (probe?.periodSeconds ?? 10) * 1000;
      const msg = this.failureMessage(run, c, probe ?? ({ httpGet: {} } as unknown as KObj), 'Readiness');
      c.timers.push(this.k.timer.setTimeout(() => {
        if (c.containerID !== instance) return;
        this.k.event(run, c, 'Warning', 'Unhealthy', msg);
        c.timers.push(this.k.timer.setInterval(() => this.k.event(run, c, 'Warning', 'Unhealthy', msg), period));
      }, (probe?.initialDelaySeconds ?? 0) * 1000 + 1_000));
      return;
    }
    if (!probe) {
      c.ready = true;
      return this.k.markDirty(run);
    }
    this.k.later(run, c, () => {
      c.ready = true;
      this.k.markDirty(run);
    }, Math.max(1, probe.initialDelaySeconds ?? 0) * 1000);
  }

  /**
   * An exec probe run in the emulated shell (the CommandRunner) every periodSeconds, with the
   * kubelet's thresholds: readiness flips `ready`; liveness kills the container.
   */
  private execProbe(run: PRun, c: CRun, probe: KObj, kind: 'Readiness' | 'Liveness'): void {
    this.probeLoop(run, c, probe, kind, () => this.execCheck(run, c, probe));
  }

  /** An HTTP or TCP probe against the container's emulated servers (probes.ts). */
  private netProbe(run: PRun, c: CRun, probe: KObj, kind: 'Readiness' | 'Liveness'): void {
    const start = () => this.probeLoop(run, c, probe, kind, () => runNetProbe(probe, c.spec, run.podIP ?? '', c.servers));
    if (c.listening) void c.listening.then(start);
    else start();
  }

  private execCheck(run: PRun, c: CRun, probe: KObj): Promise<ProbeResult> {
    let out = '';
    let result: Promise<number>;
    try {
      const cmd = this.k.runner()!.run({ pod: run.pod, container: c.spec, argv: (probe.exec.command ?? []) as string[], env: {} }, {
        stdout: (t) => (out += t),
        stderr: (t) => (out += t),
      });
      result = new Promise((resolve) => {
        const cancel = this.k.timer.setTimeout(() => {
          cmd.kill('SIGKILL');
          resolve(-1);
        }, (probe.timeoutSeconds ?? 1) * 1000);
        cmd.exit.then((code) => { cancel(); resolve(code); }, () => { cancel(); resolve(1); });
      });
    } catch (e) {
      out = (e as Error).message;
      result = Promise.resolve(126);
    }
    return result.then((code) => ({ ok: code === 0, message: code === -1 ? 'command timed out' : out.trim() }));
  }

  /** Every periodSeconds, with the kubelet's thresholds: readiness flips `ready`; liveness kills the container. */
  private probeLoop(run: PRun, c: CRun, probe: KObj, kind: 'Readiness' | 'Liveness', check: () => Promise<ProbeResult>): void {
    const instance = c.containerID;
    const period = (probe.periodSeconds ?? 10) * 1000;
    const failAt = probe.failureThreshold ?? 3;
    const okAt = probe.successThreshold ?? 1;
    let fails = 0;
    let oks = 0;
    const alive = () => c.containerID === instance && !!c.state.running && !run.deleting && !this.k.stopped();
    const tick = () => {
      if (!alive()) return;
      void check().then((r) => {
        const code = r.ok ? 0 : 1;
        const out = r.message;
        if (!alive()) return;
        if (code === 0) {
          fails = 0;
          if (++oks >= okAt && kind === 'Readiness' && !c.ready) {
            c.ready = true;
            this.k.markDirty(run);
          }
        } else {
          oks = 0;
          fails++;
          this.k.event(run, c, 'Warning', 'Unhealthy', `${kind} probe failed: ${out}`);
          if (fails >= failAt && kind === 'Readiness' && c.ready) {
            c.ready = false;
            this.k.markDirty(run);
          }
          if (fails >= failAt && kind === 'Liveness') {
            this.k.event(run, c, 'Normal', 'Killing', `Container ${c.name} failed liveness probe, will be restarted`);
            this.k.later(run, c, () => this.k.exited(run, c, 137, 'Error'), 1_000);
            return;
          }
        }
        c.timers.push(this.k.timer.setTimeout(tick, period));
      });
    };
    c.timers.push(this.k.timer.setTimeout(tick, Math.max(0, probe.initialDelaySeconds ?? 0) * 1000 + 100));
  }

  /** The liveness-fail behaviour: the probe fails from failAfterMs on, the container is killed after the threshold. */
  livenessFailure(run: PRun, c: CRun): void {
    const probe = c.spec.livenessProbe as KObj | undefined;
    const period = (probe?.periodSeconds ?? 10) * 1000;
    const threshold = probe?.failureThreshold ?? 3;
    const msg = this.failureMessage(run, c, probe ?? ({ httpGet: {} } as unknown as KObj), 'Liveness');
    let failures = 0;
    this.k.later(run, c, () => {
      const fail = () => {
        failures++;
        this.k.event(run, c, 'Warning', 'Unhealthy', msg);
        if (failures < threshold) return this.k.later(run, c, fail, period);
        this.k.event(run, c, 'Normal', 'Killing', `Container ${c.name} failed liveness probe, will be restarted`);
        this.k.later(run, c, () => this.k.exited(run, c, 137, 'Error'), 1_000);
      };
      fail();
    }, Math.max((probe?.initialDelaySeconds ?? 0) * 1000, c.b.failAfterMs));
  }
}

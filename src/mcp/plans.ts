/**
 * Plans proposed over MCP, waiting for a person: one owner-only JSON file each in the config
 * dir's plans/ folder. The MCP client only ever writes here (propose_plan); executing is for
 * `kai-tui do --plan ID` on a terminal or the cockpit's `:plan ID`, after a fresh preview and
 * a person's confirmation. Each step's hash is checked on load, so what runs is what was shown.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashRequest, type Plan } from '../ops/plan.js';

export interface ProposedPlan {
  id: string;
  createdAt: string;
  /** Who proposed it (the MCP client's name as it introduced itself). */
  by: string;
  context: string;
  /** The kubeconfig files of the server that proposed it (the same cluster credentials). */
  kubeconfig: string[];
  namespace: string;
  command: string;
  plan: Plan;
  class: string;
  status: 'proposed' | 'executed' | 'rejected';
}

const ID = /^[a-f0-9]{8}$/;

export class PlanStore {
  constructor(readonly dir: string) {}

  save(p: Omit<ProposedPlan, 'id' | 'createdAt' | 'status'>): ProposedPlan {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const rec: ProposedPlan = { id: randomBytes(4).toString('hex'), createdAt: new Date().toISOString(), status: 'proposed', ...p };
    this.write(rec);
    return rec;
  }

  private write(rec: ProposedPlan): void {
    const file = join(this.dir, `${rec.id}.json`);
    writeFileSync(file, JSON.stringify(rec, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
  }

  /** The plan, with every step's hash checked against its request; throws when absent or altered. */
  load(id: string): ProposedPlan {
    if (!ID.test(id)) throw new Error(`'${id}' is not a plan id (8 hex digits, as propose_plan returned it)`);
    const file = join(this.dir, `${id}.json`);
    if (!existsSync(file)) throw new Error(`no proposed plan ${id} in ${this.dir}`);
    const rec = JSON.parse(readFileSync(file, 'utf8')) as ProposedPlan;
    for (const s of rec.plan.steps) {
      if (hashRequest(s.request) !== s.hash) throw new Error(`plan ${id} was altered after it was proposed (step "${s.title}" no longer matches its hash); refusing it`);
    }
    return rec;
  }

  setStatus(id: string, status: ProposedPlan['status']): void {
    const rec = this.load(id);
    this.write({ ...rec, status });
  }

  /** Newest first. */
  list(): ProposedPlan[] {
    if (!existsSync(this.dir)) return [];
    const out: ProposedPlan[] = [];
    for (const f of readdirSync(this.dir)) {
      const m = /^([a-f0-9]{8})\.json$/.exec(f);
      if (!m) continue;
      try {
        out.push(this.load(m[1]!));
      } catch {
        // an altered or half-written file is not listed
      }
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
}

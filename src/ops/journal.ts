/**
 * The operation journal: an append-only SQLite database (better-sqlite3, WAL, synchronous=FULL).
 *
 * Why SQLite: every write is an atomic, durable transaction, so a crash or `kill -9` in the middle
 * of a plan leaves a readable file whose last committed row says exactly which steps ran — a
 * hand-rolled JSON/JSONL file can be left half-written. It is one local file, needs no server,
 * and answers the history view's queries directly.
 *
 * Append-only: rows are only ever inserted (triggers refuse UPDATE and DELETE). An operation is a
 * start row plus, later, an end row; a step likewise. A start without an end means the process
 * died there: the operation shows as "interrupted" and such a step as "unknown" (it may or may
 * not have reached the server).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { hostname, userInfo } from 'node:os';
import type { Plan, Step, Target } from './plan.js';
import type { StepResult } from './execute.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS operations (
  id INTEGER PRIMARY KEY AUTOINCREMENT, plan_id TEXT NOT NULL, source TEXT NOT NULL, user TEXT NOT NULL,
  host TEXT NOT NULL, pid INTEGER NOT NULL, context TEXT, server TEXT, class TEXT, undo_of INTEGER,
  plan_json TEXT NOT NULL, started_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS operation_ends (
  op_id INTEGER PRIMARY KEY REFERENCES operations(id), status TEXT NOT NULL, summary TEXT, finished_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS step_starts (
  id INTEGER PRIMARY KEY AUTOINCREMENT, op_id INTEGER NOT NULL REFERENCES operations(id), idx INTEGER NOT NULL,
  title TEXT NOT NULL, class TEXT NOT NULL, op TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
  query_json TEXT NOT NULL, content_type TEXT, body TEXT, hash TEXT NOT NULL, target_json TEXT NOT NULL,
  object_path TEXT NOT NULL, before_json TEXT, started_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS step_ends (
  step_id INTEGER PRIMARY KEY REFERENCES step_starts(id), status TEXT NOT NULL, http_status INTEGER,
  message TEXT, response_json TEXT, finished_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS step_starts_op ON step_starts(op_id);
CREATE TABLE IF NOT EXISTS interventions (
  id INTEGER PRIMARY KEY AUTOINCREMENT, object_key TEXT NOT NULL, stage TEXT NOT NULL, detail TEXT NOT NULL,
  context TEXT, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS interventions_object ON interventions(object_key);
`;
const TABLES = ['operations', 'operation_ends', 'step_starts', 'step_ends', 'interventions'];

/** A stage of triage's work on one object, kept beside the operations (the intervention timeline). */
export interface Intervention { stage: 'finding' | 'diagnosis' | 'plan' | 'execution' | 'verdict'; detail: string; at: string; context?: string; operation?: number }

export type OperationStatus = 'succeeded' | 'partial' | 'failed' | 'running' | 'interrupted';

export interface JournalStep {
  id: number;
  index: number;
  title: string;
  class: string;
  op: Step['op'];
  request: Step['request'];
  hash: string;
  target: Target;
  objectPath: string;
  before?: Obj;
  startedAt: string;
  /** 'unknown' when the process died after starting the step. */
  status: StepResult['status'] | 'unknown';
  httpStatus?: number;
  message?: string;
  response?: Obj;
  finishedAt?: string;
}

export interface JournalOperation {
  id: number;
  planId: string;
  source: string;
  user: string;
  host: string;
  context?: string;
  server?: string;
  class?: string;
  undoOf?: number;
  startedAt: string;
  finishedAt?: string;
  status: OperationStatus;
  summary?: string;
  steps: JournalStep[];
  /** Id of a later operation that undid this one. */
  undoneBy?: number;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

function whoami(): string {
  try { return userInfo().username; } catch { return process.env.USER ?? 'unknown'; }
}

export class Journal {
  private readonly db: Database.Database;

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    for (const t of TABLES) {
      this.db.exec(`CREATE TRIGGER IF NOT EXISTS ${t}_no_update BEFORE UPDATE ON ${t} BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS ${t}_no_delete BEFORE DELETE ON ${t} BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;`);
    }
  }

  close(): void { this.db.close(); }

  beginOperation(plan: Plan, meta: { context?: string; server?: string; planClass?: string }): number {
    const r = this.db.prepare(`INSERT INTO operations (plan_id, source, user, host, pid, context, server, class, undo_of, plan_json, started_at)
      VALUES (?,?,?,?,?,?,?,?,?,?,?)`).run(plan.id, plan.source, whoami(), hostname(), process.pid, meta.context ?? null, meta.server ?? null,
      meta.planClass ?? null, plan.undoOf ?? null, JSON.stringify(plan), new Date().toISOString());
    return Number(r.lastInsertRowid);
  }

  beginStep(opId: number, index: number, step: Step, before: Obj | undefined): number {
    const q = step.request;
    const r = this.db.prepare(`INSERT INTO step_starts (op_id, idx, title, class, op, method, path, query_json, content_type, body, hash, target_json, object_path, before_json, started_at)
      VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`).run(opId, index, step.title, step.class, step.op, q.method, q.path, JSON.stringify(q.query),
      q.contentType ?? null, q.body ?? null, step.hash, JSON.stringify(step.target), step.objectPath, before === undefined ? null : JSON.stringify(before), new Date().toISOString());
    return Number(r.lastInsertRowid);
  }

  finishStep(stepId: number, r: StepResult): void {
    this.db.prepare('INSERT INTO step_ends (step_id, status, http_status, message, response_json, finished_at) VALUES (?,?,?,?,?,?)')
      .run(stepId, r.status, r.httpStatus ?? null, r.message ?? null, r.response === undefined ? null : JSON.stringify(r.response), new Date().toISOString());
  }

  finishOperation(opId: number, status: OperationStatus, summary: string): void {
    this.db.prepare('INSERT INTO operation_ends (op_id, status, summary, finished_at) VALUES (?,?,?,?)').run(opId, status, summary, new Date().toISOString());
  }

  /** Newest first. */
  list(limit = 50): JournalOperation[] {
    const ids = this.db.prepare('SELECT id FROM operations ORDER BY id DESC LIMIT ?').all(limit) as Array<{ id: number }>;
    return ids.map(({ id }) => this.get(id)!);
  }

  get(id: number): JournalOperation | undefined {
    const o = this.db.prepare(`SELECT o.*, e.status AS end_status, e.summary, e.finished_at FROM operations o LEFT JOIN operation_ends e ON e.op_id = o.id WHERE o.id = ?`).get(id) as Obj;
    if (!o) return undefined;
    const rows = this.db.prepare(`SELECT s.*, e.status AS end_status, e.http_status, e.message, e.response_json, e.finished_at FROM step_starts s LEFT JOIN step_ends e ON e.step_id = s.id WHERE s.op_id = ? ORDER BY s.idx`).all(id) as Obj[];
    const steps: JournalStep[] = rows.map((s) => ({
      id: s.id, index: s.idx, title: s.title, class: s.class, op: s.op,
      request: { method: s.method, path: s.path, query: JSON.parse(s.query_json), ...(s.content_type !== null ? { contentType: s.content_type } : {}), ...(s.body !== null ? { body: s.body } : {}) },
      hash: s.hash, target: JSON.parse(s.target_json), objectPath: s.object_path, before: s.before_json ? JSON.parse(s.before_json) : undefined,
      startedAt: s.started_at, status: s.end_status ?? 'unknown', httpStatus: s.http_status ?? undefined, message: s.message ?? undefined,
      response: s.response_json ? JSON.parse(s.response_json) : undefined, finishedAt: s.finished_at ?? undefined,
    }));
    const undone = this.db.prepare('SELECT id FROM operations WHERE undo_of = ? ORDER BY id DESC LIMIT 1').get(id) as { id: number } | undefined;
    const status: OperationStatus = o.end_status ?? (o.host === hostname() && alive(o.pid) ? 'running' : 'interrupted');
    return {
      id: o.id, planId: o.plan_id, source: o.source, user: o.user, host: o.host, context: o.context ?? undefined, server: o.server ?? undefined,
      class: o.class ?? undefined, undoOf: o.undo_of ?? undefined, startedAt: o.started_at, finishedAt: o.finished_at ?? undefined,
      status, summary: o.summary ?? undefined, steps, undoneBy: undone?.id,
    };
  }

  /** Appends one stage of the timeline of `objectKey` (Kind/namespace/name). */
  recordIntervention(objectKey: string, stage: Intervention['stage'], detail: string, context?: string): void {
    this.db.prepare('INSERT INTO interventions (object_key, stage, detail, context, at) VALUES (?,?,?,?,?)').run(objectKey, stage, detail, context ?? null, new Date().toISOString());
  }

  /**
   * Operations with a step on the object (kind, namespace, name as in step targets), newest
   * first, since `sinceIso` when given: what the healing guard counts and the timeline shows.
   */
  operationsOn(target: { kind: string; namespace?: string; name: string }, sinceIso?: string): JournalOperation[] {
    const rows = this.db.prepare(`SELECT DISTINCT s.op_id AS id FROM step_starts s JOIN operations o ON o.id = s.op_id
      WHERE json_extract(s.target_json, '$.kind') = ? AND json_extract(s.target_json, '$.name') = ?
      AND IFNULL(json_extract(s.target_json, '$.namespace'), '') = ? AND o.started_at >= ? ORDER BY s.op_id DESC`)
      .all(target.kind, target.name, target.namespace ?? '', sinceIso ?? '') as Array<{ id: number }>;
    return rows.map(({ id }) => this.get(id)!);
  }

  /** Recorded stages of the object since a time (oldest first): GitOps commits are 'execution' entries. */
  interventionsOn(objectKey: string, stage: Intervention['stage'], sinceIso = ''): Intervention[] {
    return (this.db.prepare('SELECT stage, detail, context, at FROM interventions WHERE object_key = ? AND stage = ? AND at >= ? ORDER BY id').all(objectKey, stage, sinceIso) as Obj[])
      .map((r) => ({ stage: r.stage, detail: r.detail, at: r.at, context: r.context ?? undefined }) as Intervention);
  }

  /** The object's timeline: recorded stages and the operations on it (execution + verdict), oldest first. */
  timeline(objectKey: string, target: { kind: string; namespace?: string; name: string }): Intervention[] {
    const recorded = (this.db.prepare('SELECT stage, detail, context, at FROM interventions WHERE object_key = ? ORDER BY id').all(objectKey) as Obj[])
      .map((r) => ({ stage: r.stage, detail: r.detail, at: r.at, context: r.context ?? undefined }) as Intervention);
    const ops = this.operationsOn(target).flatMap((o): Intervention[] => [
      { stage: 'execution', detail: `#${o.id} ${o.steps.map((s) => s.title).join('; ')}`, at: o.startedAt, context: o.context, operation: o.id },
      ...(o.finishedAt ? [{ stage: 'verdict' as const, detail: `#${o.id} ${o.status}${o.summary ? `: ${o.summary}` : ''}`, at: o.finishedAt, context: o.context, operation: o.id }] : []),
    ]);
    return [...recorded, ...ops].sort((a, b) => a.at.localeCompare(b.at));
  }

  /** The newest operation that changed something, is not itself an undo, and was not undone yet. */
  lastUndoable(): JournalOperation | undefined {
    const ids = this.db.prepare(`SELECT o.id FROM operations o WHERE o.undo_of IS NULL
      AND NOT EXISTS (SELECT 1 FROM operations u JOIN operation_ends ue ON ue.op_id = u.id WHERE u.undo_of = o.id AND ue.status IN ('succeeded','partial'))
      AND EXISTS (SELECT 1 FROM step_starts s LEFT JOIN step_ends e ON e.step_id = s.id WHERE s.op_id = o.id AND (e.status = 'succeeded' OR e.status IS NULL))
      ORDER BY o.id DESC LIMIT 1`).all() as Array<{ id: number }>;
    return ids[0] ? this.get(ids[0].id) : undefined;
  }
}

export function openJournal(file: string): Journal {
  return new Journal(file);
}

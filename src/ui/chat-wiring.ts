/**
 * Builds the chat pane's service over src/ai for the cockpit's current context: the
 * assistant (model chain, redaction, read-only tools) with the operations session as its
 * plan drafter, and the preview pane for what it proposes. Loaded on first use, so the
 * cockpit starts without the AI modules. One conversation per context, kept while the
 * cockpit runs (reopening :chat continues it).
 */
import blessed from 'blessed';
import type { LoadedKubeConfig } from '../kube/kubeconfig.js';
import type { ClusterSource, KubeObject, ResourceKind } from '../kube/types.js';
import type { OpsSession } from '../ops/session.js';
import type { Plan } from '../ops/plan.js';
import { KindIndex } from '../ops/kinds.js';
import { loadSettings } from '../config/settings.js';
import { Assistant } from '../ai/assistant.js';
import type { ChatMessage } from '../ai/providers/types.js';
import { ChatPane, type ChatService } from './panes/chat.js';
import { SessionStore, type ChatSession } from '../ai/sessions.js';
import { ContextMemory, rememberTool } from '../ai/memory.js';
import type { ModalPane } from './panes/modal.js';

/** What the chat needs of the cockpit (structural: the cockpit is not imported). */
export interface ChatCockpit {
  screen: blessed.Widgets.Screen;
  loaded: LoadedKubeConfig;
  source: ClusterSource;
  namespace: string | undefined;
  markDirty(): void;
  openModal(m: ModalPane): void;
  closeModal(): void;
  message(text: string, level?: 'info' | 'error'): void;
  selection(): { kind: ResourceKind; object: KubeObject } | undefined;
  /** From the operations wiring: the session in use, and the preview pane for a ready plan. */
  opsSession?: () => Promise<OpsSession>;
  /** `refine`: what r does in the preview (an AI plan goes back to the chat, not the palette). */
  reviewPlan?: (title: string, plan: Plan, notes: string[], refine?: () => void) => Promise<void>;
  openPalette?: (text: string) => void;
  shellTranscript?: () => string | undefined;
  forwardStats?: () => unknown;
}

const chats = new Map<string, ChatPane>();

function service(app: ChatCockpit): ChatService {
  const kinds = new KindIndex({ kinds: () => app.source.kinds(), ready: () => app.source.discovered?.() ?? Promise.resolve() });
  let assistant: Assistant | undefined;
  let history: ChatMessage[] = [];
  const store = SessionStore.open();
  let session: ChatSession | undefined;
  const memory = new ContextMemory(app.loaded.context);
  const make = async (): Promise<Assistant> => {
    if (assistant) { assistant.ctx.namespace = app.namespace ?? app.loaded.namespace; return assistant; }
    const ops = app.opsSession ? await app.opsSession() : undefined;
    assistant = new Assistant({
      settings: loadSettings(), loaded: app.loaded, kinds, namespace: app.namespace ?? app.loaded.namespace,
      drafter: ops ? { parse: (t) => ops.parse(t), preview: (p, raises) => ops.preview(p, raises) } : undefined,
      shellTranscript: () => app.shellTranscript?.(),
      forwards: () => { const f = app.forwardStats?.(); return Array.isArray(f) && f.length ? f : undefined; },
    });
    return assistant;
  };
  let describe = 'AI assistant';
  try {
    const a = new Assistant({ settings: loadSettings(), loaded: app.loaded, kinds, namespace: app.namespace ?? app.loaded.namespace });
    const m = a.cfg.chain[0]!;
    describe = `${m.provider.kind}:${m.model} at ${m.provider.endpoint} (${a.cfg.source})`;
  } catch (e) {
    describe = `AI not configured: ${(e as Error).message}`;
  }
  return {
    memory: (cmd, arg) => {
      if (cmd === 'remember') { memory.add(arg); return `noted for context ${app.loaded.context}`; }
      if (cmd === 'forget') { memory.clear(); return `memory of context ${app.loaded.context} cleared`; }
      const notes = memory.notes();
      return notes.length ? `memory of ${app.loaded.context} (${memory.file}):\n${notes.map((n) => `- ${n}`).join('\n')}` : `no notes for ${app.loaded.context} yet — /remember TEXT adds one (file: ${memory.file})`;
    },
    describe: () => describe,
    proposals: () => assistant?.proposals.length ?? 0,
    review: (i) => {
      const p = assistant?.proposals[i];
      if (!p?.plan) { app.message(p ? `the proposed plan has no valid step: ${p.errors.join('; ')}` : 'no such plan', 'error'); return; }
      if (!app.reviewPlan) { app.message('the operations pipeline is not available', 'error'); return; }
      app.closeModal();
      // r in the preview comes back here: the person says what to change and the model revises the plan.
      const refine = () => { openChat(app); chats.get(app.loaded.context)?.prefill('Refine the plan: '); };
      void app.reviewPlan(`plan from the assistant: ${p.rationale}`, p.plan, [`proposed by the AI assistant: ${p.rationale} — nothing runs until you confirm; r refines it in the chat`, ...p.errors.map((e) => `not in the plan: ${e}`)], refine);
    },
    ask: async (question, o) => {
      const a = await make();
      const sel = o.selection;
      const r = await a.ask(question, { selection: sel, signal: o.signal, onEvent: (e) => o.onEvent(e.type === 'proposal' ? { type: 'proposal' } : e), history, memory: memory.text(), tools: [...a.tools, rememberTool(memory)] });
      history = r.messages;
      try {
        session ??= store.create(app.loaded.context, question);
        session.model = r.usage.models[0];
        session.turns.push({ at: new Date().toISOString(), question, answer: r.answer, toolCalls: r.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments, durationMs: c.durationMs })) });
        session.messages = r.messages;
        store.save(session);
      } catch { /* saving is a convenience */ }
      return { redacted: r.redacted, proposals: r.proposals.length, usage: r.usage };
    },
  };
}

/** `:chat [question]`, the chat key, and palette text that is a question. */
export function openChat(app: ChatCockpit, question?: string): void {
  const key = app.loaded.context;
  let pane = chats.get(key);
  if (!pane) {
    pane = new ChatPane({
      screen: app.screen, markDirty: () => app.markDirty(), closeModal: () => app.closeModal(), message: (t, l) => app.message(t, l),
      selection: () => {
        const s = app.selection();
        if (!s) return undefined;
        const o = s.object;
        return `${s.kind.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
      },
      toPalette: (t) => app.openPalette?.(t),
    }, service(app));
    chats.set(key, pane);
  }
  pane.show();
  app.openModal(pane);
  if (question?.trim()) pane.ask(question);
}

/**
 * The pulse pane's fix route for the cockpit: a fix command is parsed into a plan (an operations session of
 * the cockpit's context, opened on first use), the plan's object is checked for a GitOps controller, and a
 * managed object's fix is prepared as a Git change (src/ops/gitops) for the pane to show and commit.
 * Every stage is recorded in the object's intervention timeline.
 */
import type { LoadedKubeConfig } from '../../kube/kubeconfig.js';
import type { Journal } from '../../ops/journal.js';
import type { OpsSession } from '../../ops/session.js';
import type { FixProposal } from '../panes/pulse-fix.js';
import type { CommittedFix, GitopsChange, RepoSetting } from '../../ops/gitops/fix.js';
import type { Finding, ObjectRef } from '../../triage/types.js';
import { refKey } from '../../triage/types.js';
import { paths } from '../../config/paths.js';
import { loadSettings } from '../../config/settings.js';

export interface GitopsFixDeps {
  loaded: () => LoadedKubeConfig;
  namespace: () => string | undefined;
  env: NodeJS.ProcessEnv;
  journal?: Journal;
  notify?: (text: string, ok: boolean) => void;
}

export function gitopsFixHost(d: GitopsFixDeps): { prepareFix(command: string, f: Finding | undefined, ref: ObjectRef): Promise<FixProposal>; commitFix(c: GitopsChange): Promise<CommittedFix>; close(): void } {
  let session: { context: string; open: Promise<OpsSession> } | undefined;
  const open = (): Promise<OpsSession> => {
    const loaded = d.loaded();
    if (!session || session.context !== loaded.context) {
      void session?.open.then((s) => s.close(), () => undefined);
      session = { context: loaded.context, open: import('../../ops/session.js').then(({ OpsSession: S }) => S.open({ loaded, namespace: d.namespace() ?? loaded.namespace, env: d.env })) };
    }
    return session.open;
  };
  const settings = () => {
    const s = loadSettings(d.env);
    return { repos: s.get('gitops.repos') as RepoSetting[], push: s.get('gitops.push') === true, remote: String(s.get('gitops.remote')) };
  };
  return {
    async prepareFix(command, f, ref) {
      const ops = await open();
      const intent = await ops.parse(command);
      if (intent.type !== 'plan') throw new Error(`"${command}" changes nothing: give a command that fixes ${ref.kind}/${ref.name}`);
      const { managerOfPlan, prepareGitopsFix } = await import('../../ops/gitops/fix.js');
      const { manager } = await managerOfPlan(ops.client, intent.plan);
      if (!manager) {
        d.journal?.recordIntervention(refKey(ref), 'plan', `live: ${command.split('\n')[0]}`, ops.context);
        return { kind: 'live' };
      }
      const { ruleText } = await import('../../triage/explain.js');
      const change = await prepareGitopsFix(ops.client, intent.plan, settings().repos, {
        category: f?.category, severity: f?.severity, summary: f?.summary,
        rootCause: f ? `${f.summary}. ${ruleText(f.category)}`.trim() : undefined,
        evidence: f?.evidence, symptoms: f?.symptoms.map((x) => `${x.category} on ${x.object.kind}/${x.object.name}: ${x.summary}`),
      });
      const { recordGitopsPlan } = await import('../../ops/gitops/record.js');
      if (d.journal) recordGitopsPlan(d.journal, change, ops.context);
      return { kind: 'gitops', change };
    },
    async commitFix(c) {
      const cfg = settings();
      const { commitGitopsFix } = await import('../../ops/gitops/fix.js');
      const { recordGitopsCommit } = await import('../../ops/gitops/record.js');
      const done = await commitGitopsFix(c, { prDir: paths(d.env).gitopsPrs, push: cfg.push, remote: cfg.remote });
      const verdict = d.journal ? recordGitopsCommit(d.journal, c, done, cfg.remote, session?.context) : '';
      d.notify?.(`${c.source.split('\n')[0]} (GitOps: ${done.branch}) — ${verdict}`, !done.pushError);
      return done;
    },
    close() { void session?.open.then((s) => s.close(), () => undefined); session = undefined; },
  };
}

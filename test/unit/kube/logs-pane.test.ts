/**
 * The logs pane with a container that prints escape sequences and blessed tags: what reaches
 * the widget is caret notation and escaped braces, never ESC/BEL; search highlights; the
 * container switcher and `p` (previous) restart the stream against the embedded cluster.
 */
import { PassThrough } from 'node:stream';
import blessed from 'blessed';
import test from 'ava';
import { startTestSim } from '../../support/sim.js';
import { apply, waitPods } from '../../e2e/kubectl-streams-helpers.js';
import { loadKubeConfig } from '../../../src/kube/kubeconfig.js';
import { Transport } from '../../../src/kube/transport.js';
import { LogsPane } from '../../../src/ui/panes/logs.js';
import { fallbackTheme } from '../../../src/ui/theme.js';
import type { Cockpit } from '../../../src/app.js';

async function until(fn: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('hostile log lines are neutralised; search, container switch and previous', async (t) => {
  const c = await startTestSim(t, { timeScale: 20 });
  const hostile = "printf '\\033[31mred\\033]0;pwned\\007 {bold}x{/bold} needle\\n'; echo second-line; sleep infinity";
  await apply(t, c, `
apiVersion: v1
kind: Pod
metadata: {name: evil}
spec:
  containers:
  - {name: one, image: busybox, command: ${JSON.stringify(['sh', '-c', hostile])}}
  - {name: two, image: busybox, command: ["sh", "-c", "echo from-two; sleep infinity"]}
`);
  const [pod] = await waitPods(c, '', (ps) => ps.some((p) => p.metadata.name === 'evil' && p.status?.phase === 'Running'), 60_000);
  const transport = new Transport(loadKubeConfig({ kubeconfig: c.kubeconfig }, {})!.kc);
  t.teardown(() => transport.close());

  const output = Object.assign(new PassThrough(), { columns: 120, rows: 30, isTTY: true });
  output.resume();
  const screen = blessed.screen({ input: new PassThrough(), output, warnings: false } as unknown as blessed.Widgets.IScreenOptions);
  t.teardown(() => screen.destroy());
  const messages: string[] = [];
  const app = { screen, markDirty: () => {}, message: (m: string) => messages.push(m), closeModal: () => {}, quit: () => {} } as unknown as Cockpit;
  const pane = new LogsPane(app, transport, [pod as never]);
  pane.element.show();
  const theme = fallbackTheme({ NO_COLOR: '1' });
  // The text handed to blessed (before it parses tags): cluster data must already be inert here.
  const content = () => { pane.paint(theme); return (pane.element as unknown as { content: string }).content; };
  pane.start();
  await until(() => content().includes('second-line'));
  const text = content();
  t.false(/[\u0007\u001b]/.test(text), JSON.stringify(text));
  // And what blessed renders from it has only its own SGR (bold/inverse), no OSC title or colour from the pod.
  t.false(/\u001b\]|\u001b\[31m|\u0007/.test(pane.element.getContent()));
  t.regex(text, /\^\[\[31mred\^\[\]0;pwned\^G \{open\}bold\{close\}x/);

  // Search highlights the term (inverse) and keeps the line escaped.
  pane.handleKey('/', '/');
  for (const ch of 'needle') pane.handleKey(ch, ch);
  pane.handleKey('enter', undefined);
  t.regex(content(), /\{inverse\}needle\{\/inverse\}/);

  // The container switcher streams the second container.
  pane.handleKey('c', 'c');
  await until(() => content().includes('from-two'));
  t.false(content().includes('second-line'));

  // p: the previous instance does not exist; the server's message is shown.
  pane.handleKey('p', 'p');
  await until(() => /previous terminated container "two" in pod "evil" not found/.test(content()));
  pane.onClose();
});

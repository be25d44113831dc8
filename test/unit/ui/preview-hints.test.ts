/** The bottom hint line follows the preview pane's state: what it offers is what works. */
import test from 'ava';
import { flowHints } from '../../../src/ui/panes/preview.js';
import type { FlowState } from '../../../src/ops/flow.js';

const preview = (cls: string, acceptable = true) => ({ class: cls, acceptable, steps: [], impact: [], warnings: [], refusals: [] });
const st = (o: object) => o as unknown as FlowState;

test('preview: destructive plans say y y; refused plans offer no execute', (t) => {
  t.regex(flowHints(st({ phase: 'preview', preview: preview('mutating'), notes: [] })), /^enter\/y:execute/);
  t.regex(flowHints(st({ phase: 'preview', preview: preview('destructive'), notes: [] })), /^y y:execute/);
  t.notRegex(flowHints(st({ phase: 'preview', preview: preview('mutating', false), notes: [] })), /execute/);
});

test('done: undo only when something changed; a conflict that changed nothing offers refine', (t) => {
  t.is(flowHints(st({ phase: 'done', preview: preview('mutating'), result: { results: [{ status: 'succeeded' }] } })), 'esc:close u:undo');
  const conflict = flowHints(st({ phase: 'done', preview: preview('mutating'), result: { results: [{ status: 'conflict' }] } }));
  t.notRegex(conflict, /undo/);
  t.regex(conflict, /nothing changed/);
  t.is(flowHints(st({ phase: 'running', preview: preview('mutating'), results: [], confirmIndex: 0 })), 'y:run the step n:skip it');
});

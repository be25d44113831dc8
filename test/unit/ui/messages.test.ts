import test from 'ava';
import { wrap } from '../../../src/ui/panes/messages.js';

test('wrap: at spaces when it can, long words cut, nothing lost', (t) => {
  t.deepEqual(wrap('demo cluster — kubectl: KUBECONFIG=/tmp/x/demo-kubeconfig.yaml', 30), ['demo cluster — kubectl:', 'KUBECONFIG=/tmp/x/demo-kubecon', 'fig.yaml']);
  t.deepEqual(wrap('short', 30), ['short']);
  t.deepEqual(wrap('', 10), ['']);
  const text = 'one two three four five six seven eight nine ten';
  t.is(wrap(text, 9).join(' '), text);
});

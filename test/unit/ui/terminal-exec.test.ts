/** How the shell pane connects: kubectl's arguments, the container it picks, exec exit codes. */
import test from 'ava';
import { defaultContainer, exitCodeOf, kubectlExecArgs, SHELL_COMMAND } from '../../../src/kube/exec.js';

test('kubectl exec -it with the cockpit kubeconfig file and context', (t) => {
  const { args, env } = kubectlExecArgs({ namespace: 'shop', pod: 'api-1', container: 'app', context: 'prod', kubeconfigFiles: ['/k/config'] });
  t.deepEqual(args, ['exec', '-it', '-n', 'shop', 'api-1', '-c', 'app', '--context', 'prod', '--kubeconfig', '/k/config', '--', ...SHELL_COMMAND]);
  t.deepEqual(env, {});
});

test('several kubeconfig files go through KUBECONFIG (kubectl merges them as we did); no -c without a container', (t) => {
  const { args, env } = kubectlExecArgs({ namespace: 'ns', pod: 'p', context: 'c', kubeconfigFiles: ['/a', '/b'] });
  t.false(args.includes('--kubeconfig'));
  t.false(args.includes('-c'));
  t.is(env.KUBECONFIG, ['/a', '/b'].join(process.platform === 'win32' ? ';' : ':'));
});

test('the container: the default-container annotation, else the only one, else none (the pane asks)', (t) => {
  const two = { spec: { containers: [{ name: 'a' }, { name: 'b' }] } };
  t.is(defaultContainer({ metadata: { annotations: { 'kubectl.kubernetes.io/default-container': 'b' } }, ...two }), 'b');
  t.is(defaultContainer({ metadata: { annotations: { 'kubectl.kubernetes.io/default-container': 'nope' } }, ...two }), undefined);
  t.is(defaultContainer({ metadata: {}, ...two }), undefined);
  t.is(defaultContainer({ metadata: {}, spec: { containers: [{ name: 'only' }] } }), 'only');
});

test('exit codes from the exec Status', (t) => {
  t.is(exitCodeOf({ status: 'Success' }), 0);
  t.is(exitCodeOf({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } }), 3);
  t.is(exitCodeOf({ status: 'Failure', message: 'boom' }), undefined);
});

import test from 'ava';
import { Shell } from '../../../src/sim/shell/interp.js';
import { buildWorld } from '../../../src/sim/shell/world.js';
import { stringInput, EMPTY_INPUT, ExitSignal } from '../../../src/sim/shell/types.js';
import { makeCtx, runningPod } from './stream-harness.js';

function setup(image = 'busybox:1.36', extra: Record<string, unknown> = {}) {
  const h = makeCtx(1000);
  h.store.create({ group: '', resource: 'configmaps' }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { LOG_LEVEL: 'debug', 'app.properties': 'greeting=hello\n' } });
  h.store.create({ group: '', resource: 'secrets' }, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'default' }, data: { password: Buffer.from('s3cr3t').toString('base64') } });
  const pod = runningPod('p1', 'default', [{
    name: 'app', image,
    env: [{ name: 'GREETING', value: 'hi' }, { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }, { name: 'MY_POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
    envFrom: [{ configMapRef: { name: 'cfg' } }],
    volumeMounts: [{ name: 'c', mountPath: '/etc/app' }],
    ...extra,
  }]);
  pod.spec.volumes = [{ name: 'c', configMap: { name: 'cfg' } }];
  const world = buildWorld(h.ctx, pod, 'app');
  return { h, world };
}

async function run(script: string, opts: { input?: string; image?: string } = {}) {
  const { h, world } = setup(opts.image);
  const sh = new Shell(world);
  let out = '';
  let err = '';
  let code: number;
  try {
    code = await sh.run(script, { stdin: opts.input !== undefined ? stringInput(opts.input) : EMPTY_INPUT, out: (s) => (out += s), err: (s) => (err += s), signal: new AbortController().signal });
  } catch (e) {
    if (!(e instanceof ExitSignal)) throw e;
    code = e.code;
  }
  h.stop();
  return { code, out, err };
}

test('echo, status, && and ||', async (t) => {
  t.deepEqual(await run('echo hello world'), { code: 0, out: 'hello world\n', err: '' });
  t.is((await run('false || echo fallback; true && echo yes')).out, 'fallback\nyes\n');
  t.is((await run('false; echo $?')).out, '1\n');
  t.is((await run('exit 3')).code, 3);
  t.is((await run('sh -c "exit 4"; echo got $?')).out, 'got 4\n');
});

test('unknown commands: not found, 127', async (t) => {
  const r = await run('nosuchcmd --x');
  t.is(r.code, 127);
  t.is(r.err, 'sh: nosuchcmd: not found\n');
});

test('quotes, variables, defaults, arithmetic and loops', async (t) => {
  t.is((await run(`X=5; echo "x is $X" '$X' \${Y:-dflt} \${#X}`)).out, 'x is 5 $X dflt 1\n');
  t.is((await run('for i in a b c; do echo -n $i; done; echo')).out, 'abc\n');
  t.is((await run('i=0; while [ $i -lt 3 ]; do i=$((i+1)); echo $i; done')).out, '1\n2\n3\n');
  t.is((await run('if [ -f /etc/os-release ]; then echo file; else echo none; fi')).out, 'file\n');
  t.is((await run('echo $(echo nested) `hostname`')).out, 'nested p1\n');
});

test('pipes, redirection to files and /dev/null, grep/head/tail/wc', async (t) => {
  t.is((await run('echo a b c | wc -w')).out.trim(), '3');
  t.is((await run('echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f | tail -n 1')).out, 'two\n');
  t.is((await run('cat /nope 2>/dev/null; echo $?')).out, '1\n');
  t.is((await run('grep ^ID= /etc/os-release')).out, 'ID=alpine\n');
  t.is((await run('printf "a\\nb\\nc\\n" | head -n 2')).out, 'a\nb\n');
  t.is((await run('ls /nope > /tmp/x 2>&1; cat /tmp/x')).out, 'ls: /nope: No such file or directory\n');
});

test('the container world: env from ConfigMap/Secret/fieldRef, mounted files, /proc, service links', async (t) => {
  const r = await run('env');
  t.regex(r.out, /^GREETING=hi$/m);
  t.regex(r.out, /^DB_PASSWORD=s3cr3t$/m);
  t.regex(r.out, /^LOG_LEVEL=debug$/m);
  t.regex(r.out, /^MY_POD=p1$/m);
  t.regex(r.out, /^KUBERNETES_SERVICE_HOST=/m);
  t.is((await run('cat /etc/app/app.properties')).out, 'greeting=hello\n');
  t.is((await run('cat /etc/hostname; cat /var/run/secrets/kubernetes.io/serviceaccount/namespace')).out, 'p1\ndefault');
  t.regex((await run('ps')).out, /PID\s+USER\s+TIME\s+COMMAND/);
  t.regex((await run('df -h')).out, /overlay/);
  t.regex((await run('free')).out, /Mem:/);
  t.regex((await run('id')).out, /^uid=0\(root\)/);
});

test('stdin is read by cat and sh', async (t) => {
  t.is((await run('cat', { input: 'piped data\n' })).out, 'piped data\n');
  t.is((await run('sh', { input: 'echo from-stdin; exit 7' })).code, 7);
  t.is((await run('while read l; do echo "<$l>"; done', { input: 'a\nb\n' })).out, '<a>\n<b>\n');
});

test('syntax errors are reported, not thrown', async (t) => {
  const r = await run('if true; then echo');
  t.is(r.code, 2);
  t.regex(r.err, /syntax error/);
});

test('sleep follows the simulated clock', async (t) => {
  const r = await run('sleep 5 && echo woke');
  t.is(r.out, 'woke\n');
});

test('text filters for one-liners: tr, cut, sort, uniq, sed, awk, seq', async (t) => {
  t.is((await run("tr '\\0' ' ' < /proc/1/cmdline")).out.trim(), 'sh');
  t.is((await run('echo HELLO | tr A-Z a-z')).out, 'hello\n');
  t.is((await run('echo a:b:c | cut -d: -f2,3')).out, 'b:c\n');
  t.is((await run('printf "b\\na\\nb\\n" | sort | uniq -c')).out, '      1 a\n      2 b\n');
  t.is((await run('echo hello world | sed s/world/there/')).out, 'hello there\n');
  t.is((await run("echo 'x y z' | awk '{print $2}'")).out, 'y\n');
  t.is((await run('seq 3 | wc -l')).out.trim(), '3');
});

test('image programs exist only in their images: redis-cli, psql', async (t) => {
  t.is((await run('redis-cli ping', { image: 'redis:7.4' })).out, 'PONG\n');
  t.is((await run('redis-cli set a 1 >/dev/null; redis-cli get a', { image: 'redis:7.4' })).out, '"1"\n');
  t.regex((await run("psql -U postgres -c '\\dt'", { image: 'postgres:16' })).out, /orders/);
  const missing = await run('redis-cli ping', { image: 'busybox' });
  t.is(missing.code, 127);
});

/**
 * The image rule as a user meets it with kubectl: a tag the registry does not have, a mistyped
 * official name, a private registry without and with a pull secret — ErrImagePull then
 * ImagePullBackOff with containerd's messages; with the secret the pod runs.
 */
import test from 'ava';
import { startTestSim } from '../support/sim.js';

const auth = Buffer.from(JSON.stringify({ auths: { 'registry.acme.corp': { auth: Buffer.from('ci:token').toString('base64') } } })).toString('base64');
const YAML = `apiVersion: v1
kind: Pod
metadata: {name: badtag}
spec: {containers: [{name: c, image: nginx:1.99}]}
---
apiVersion: v1
kind: Pod
metadata: {name: typo}
spec: {containers: [{name: c, image: ngnix:latest}]}
---
apiVersion: v1
kind: Pod
metadata: {name: private}
spec: {containers: [{name: c, image: registry.acme.corp/team/app:1.0}]}
---
apiVersion: v1
kind: Secret
metadata: {name: acme-pull}
type: kubernetes.io/dockerconfigjson
data: {.dockerconfigjson: ${auth}}
---
apiVersion: v1
kind: Pod
metadata: {name: private-ok}
spec:
  imagePullSecrets: [{name: acme-pull}]
  containers: [{name: c, image: registry.acme.corp/team/app:1.0}]
`;

test('image pulls: missing tag, mistyped name, private registry without and with a pull secret', async (t) => {
  const c = await startTestSim(t, { scenario: 'empty', timeScale: 10 });
  const r = await c.kubectl(['apply', '-f', '-'], { input: YAML });
  t.is(r.code, 0, r.stderr);
  const state = async (name: string) => JSON.parse((await c.kubectl(['get', 'pod', name, '-o', 'json'])).stdout).status?.containerStatuses?.[0]?.state ?? {};
  const until = async (name: string, ok: (s: { waiting?: { reason: string; message?: string }; running?: unknown }) => boolean) => {
    for (let i = 0; i < 120; i++) { const s = await state(name); if (ok(s)) return s; await new Promise((res) => setTimeout(res, 250)); }
    return state(name);
  };
  const pulling = (s: { waiting?: { reason: string } }) => /ErrImagePull|ImagePullBackOff/.test(s.waiting?.reason ?? '');
  t.regex((await until('badtag', pulling)).waiting?.reason ?? '', /ErrImagePull|ImagePullBackOff/);
  const events = (await c.kubectl(['get', 'events', '--field-selector', 'reason=Failed', '-o', 'custom-columns=OBJ:.involvedObject.name,MSG:.message', '--no-headers'])).stdout;
  t.regex(events, /badtag\s+Failed to pull image "nginx:1\.99": rpc error: code = NotFound desc = failed to pull and unpack image "docker\.io\/library\/nginx:1\.99": failed to resolve reference "docker\.io\/library\/nginx:1\.99": docker\.io\/library\/nginx:1\.99: not found/);
  await until('typo', pulling);
  await until('private', pulling);
  const ev2 = (await c.kubectl(['get', 'events', '--field-selector', 'reason=Failed', '-o', 'custom-columns=OBJ:.involvedObject.name,MSG:.message', '--no-headers'])).stdout;
  t.regex(ev2, /typo\s+Failed to pull image "ngnix:latest": .*pull access denied, repository does not exist or may require authorization/);
  t.regex(ev2, /private\s+Failed to pull image "registry\.acme\.corp\/team\/app:1\.0": .*401 Unauthorized/);
  t.truthy((await until('private-ok', (s) => !!s.running)).running, 'with the pull secret the image is pulled and the pod runs');
  const ev3 = (await c.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=private-ok', '-o', 'custom-columns=R:.reason', '--no-headers'])).stdout;
  t.regex(ev3, /Pulled/);
  t.notRegex(ev3, /Failed/);
});

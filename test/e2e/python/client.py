"""The official Python client against the embedded cluster: the checks named on the command line.

Usage: python3 client.py KUBECONFIG NAMESPACE CHECK...   prints one JSON object per check."""
import json
import sys

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException
from kubernetes.stream import stream


def raw(resp):
    """[HTTP status, kind, status or finalizers] of an undecoded DELETE answer."""
    body = json.loads(resp.data)
    if body['kind'] == 'Status':
        return [resp.status, 'Status', body['status'], body['details']]
    return [resp.status, body['kind'], sorted(body['metadata'].get('finalizers') or []), 'deletionTimestamp' in body['metadata']]


def deletes(core, ns):
    """Deletes with each propagation policy, as the client's typed API sends them."""
    apps = client.AppsV1Api()
    res = {}
    cm = core.create_namespaced_config_map(ns, {'metadata': {'name': 'gone'}, 'data': {'a': 'b'}})
    res['configmap'] = raw(core.delete_namespaced_config_map('gone', ns, _preload_content=False))
    res['configmap_uid'] = res['configmap'][3].pop('uid') == cm.metadata.uid
    res['background'] = raw(apps.delete_namespaced_deployment('bg', ns, propagation_policy='Background', _preload_content=False))
    res['foreground'] = raw(apps.delete_namespaced_deployment('fg', ns, propagation_policy='Foreground', _preload_content=False))
    res['orphan'] = raw(apps.delete_namespaced_deployment('orph', ns, propagation_policy='Orphan', _preload_content=False))
    # The typed answer for pods is the Pod itself, still there (graceful deletion).
    pod = core.list_namespaced_pod(ns, label_selector='app=solo').items[0].metadata.name
    typed = core.delete_namespaced_pod(pod, ns)
    res['pod'] = [type(typed).__name__, typed.metadata.deletion_timestamp is not None]
    keep = core.list_namespaced_pod(ns, label_selector='app=keep').items[0].metadata.name
    res['orphan_dependents_false'] = raw(core.delete_namespaced_pod(keep, ns, body=client.V1DeleteOptions(orphan_dependents=False), _preload_content=False))
    return res


def resumed_watch(core, ns):
    """A watch resumed from a list's resourceVersion with a label selector sees what changed since."""
    rv = core.list_namespaced_config_map(ns, label_selector='team=x').metadata.resource_version
    core.create_namespaced_config_map(ns, {'metadata': {'name': 'late', 'labels': {'team': 'x'}}})
    core.patch_namespaced_config_map('a', ns, {'metadata': {'labels': {'team': 'y'}}})
    core.patch_namespaced_config_map('c', ns, {'metadata': {'labels': {'team': 'x'}}})
    core.patch_namespaced_config_map('c', ns, {'data': {'k': 'w'}})
    core.create_namespaced_config_map(ns, {'metadata': {'name': 'tmp', 'labels': {'team': 'x'}}})
    core.delete_namespaced_config_map('tmp', ns)
    w = watch.Watch()
    seen = []
    for ev in w.stream(core.list_namespaced_config_map, namespace=ns, label_selector='team=x', resource_version=rv, timeout_seconds=2):
        labels = ev['object'].metadata.labels or {}
        seen.append([ev['type'], ev['object'].metadata.name, labels.get('team')])
        if len(seen) >= 6:
            w.stop()
    return seen


def failure(call):
    """[HTTP status, reason, message, causes] of a refused request."""
    try:
        call()
    except ApiException as e:
        body = json.loads(e.body)
        return [e.status, body.get('reason'), body.get('message'), body.get('details', {}).get('causes')]
    return None


def schema_errors(core, ns):
    """A CRD's schema and core validation as the client sees them (dynamic client, raw call_api, typed API)."""
    from kubernetes.dynamic import DynamicClient
    api = client.ApiClient()
    crontabs = DynamicClient(api).resources.get(api_version='stable.example.com/v1', kind='CronTab')
    cr = lambda name, spec: {'apiVersion': 'stable.example.com/v1', 'kind': 'CronTab', 'metadata': {'name': name}, 'spec': spec}
    res = {}
    created = crontabs.create(body=cr('pruned', {'cronSpec': '* * * * */5', 'replica': 3}), namespace=ns)
    res['pruned'] = created.to_dict()['spec']
    res['type'] = failure(lambda: crontabs.create(body=cr('bad', {'cronSpec': '* * * * */5', 'replicas': 'three'}), namespace=ns))
    res['strict'] = failure(lambda: api.call_api(
        f'/apis/stable.example.com/v1/namespaces/{ns}/crontabs', 'POST', query_params=[('fieldValidation', 'Strict')],
        header_params={'Content-Type': 'application/json', 'Accept': 'application/json'},
        body=cr('strict', {'cronSpec': '* * * * */5', 'replica': 3}), auth_settings=['BearerToken'], response_type='object'))
    res['configmap'] = failure(lambda: core.create_namespaced_config_map(ns, {'metadata': {'name': 'both'}, 'data': {'k': 'v'}, 'binaryData': {'k': 'dg=='}}))
    return res


def main():
    kubeconfig, ns, checks = sys.argv[1], sys.argv[2], sys.argv[3:]
    config.load_kube_config(config_file=kubeconfig)
    core = client.CoreV1Api()
    out = {}
    for check in checks:
        if check == 'watch':
            # kubernetes.watch sends watch=True: it must stream events, not return a List.
            w = watch.Watch()
            seen = []
            for ev in w.stream(core.list_namespaced_config_map, namespace=ns, timeout_seconds=3):
                seen.append([ev['type'], ev['object'].metadata.name])
                if len(seen) >= 2:
                    w.stop()
            out['watch'] = seen
        elif check == 'remaining':
            page = core.list_namespaced_config_map(ns, limit=1, label_selector='team=x')
            plain = core.list_namespaced_config_map(ns, limit=1)
            out['remaining'] = [page.metadata.remaining_item_count, plain.metadata.remaining_item_count, page.metadata._continue is not None]
        elif check == 'exec':
            pod = core.list_namespaced_pod(ns).items[0].metadata.name
            resp = stream(core.connect_get_namespaced_pod_exec, pod, ns, command=['sh', '-c', 'read x; echo got:$x; exit 3'],
                          stdin=True, stdout=True, stderr=True, tty=False, _preload_content=False)
            resp.write_stdin('hello\n')
            resp.run_forever(timeout=10)
            out['exec'] = [resp.read_stdout(timeout=1) if resp.peek_stdout() else '', resp.returncode]
            resp.close()
        elif check == 'resume':
            out['resume'] = resumed_watch(core, ns)
        elif check == 'schema':
            out['schema'] = schema_errors(core, ns)
        elif check == 'delete':
            out['delete'] = deletes(core, ns)
    print(json.dumps(out))


main()

/**
 * OpenAPI v3 component schemas for a handful of core kinds (Pod, Deployment, Service and what
 * they reference), so `kubectl explain pod.spec.containers` works. Written compactly: each type
 * lists its fields as [type, description]; types are primitives, `Ref` names of other types,
 * `[]X` arrays and `map[string]X` maps, rendered into the shape the real apiserver publishes
 * (`allOf: [{$ref}]` for references). Kinds carry x-kubernetes-group-version-kind.
 * No requestBody is published, so kubectl's patch computation is unchanged.
 */
type J = any; // eslint-disable-line @typescript-eslint/no-explicit-any

type Field = [type: string, description: string];
interface TypeDef { name: string; description: string; fields: Record<string, Field>; required?: string[]; gvk?: { group: string; version: string; kind: string } }

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const CORE = 'io.k8s.api.core.v1';
const APPS = 'io.k8s.api.apps.v1';
const FULL: Record<string, string> = {
  ObjectMeta: `${META}.ObjectMeta`, LabelSelector: `${META}.LabelSelector`, LabelSelectorRequirement: `${META}.LabelSelectorRequirement`,
  OwnerReference: `${META}.OwnerReference`, Time: `${META}.Time`,
  Quantity: 'io.k8s.apimachinery.pkg.api.resource.Quantity', IntOrString: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  Deployment: `${APPS}.Deployment`, DeploymentSpec: `${APPS}.DeploymentSpec`, DeploymentStrategy: `${APPS}.DeploymentStrategy`,
  RollingUpdateDeployment: `${APPS}.RollingUpdateDeployment`, DeploymentStatus: `${APPS}.DeploymentStatus`,
};
const full = (n: string) => FULL[n] ?? `${CORE}.${n}`;

const OBJ_API = 'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const OBJ_KIND = 'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const OBJ_META = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

const TYPES: TypeDef[] = [
  { name: 'Pod', gvk: { group: '', version: 'v1', kind: 'Pod' },
    description: 'Pod is a collection of containers that can run on a host. This resource is created by clients and scheduled onto hosts.',
    fields: {
      apiVersion: ['string', OBJ_API], kind: ['string', OBJ_KIND], metadata: ['ObjectMeta', OBJ_META],
      spec: ['PodSpec', 'Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'],
      status: ['PodStatus', 'Most recently observed status of the pod. This data may not be up to date. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'],
    } },
  { name: 'PodSpec', description: 'PodSpec is a description of a pod.', required: ['containers'],
    fields: {
      activeDeadlineSeconds: ['integer', 'Optional duration in seconds the pod may be active on the node relative to StartTime before the system will actively try to mark it failed and kill associated containers. Value must be a positive integer.'],
      affinity: ['object', "If specified, the pod's scheduling constraints"],
      automountServiceAccountToken: ['boolean', 'AutomountServiceAccountToken indicates whether a service account token should be automatically mounted.'],
      containers: ['[]Container', 'List of containers belonging to the pod. Containers cannot currently be added or removed. There must be at least one container in a Pod. Cannot be updated.'],
      dnsPolicy: ['string', "Set DNS policy for the pod. Defaults to \"ClusterFirst\". Valid values are 'ClusterFirstWithHostNet', 'ClusterFirst', 'Default' or 'None'."],
      enableServiceLinks: ['boolean', "EnableServiceLinks indicates whether information about services should be injected into pod's environment variables, matching the syntax of Docker links. Optional: Defaults to true."],
      hostNetwork: ['boolean', "Host networking requested for this pod. Use the host's network namespace. Default to false."],
      hostname: ['string', "Specifies the hostname of the Pod If not specified, the pod's hostname will be set to a system-defined value."],
      imagePullSecrets: ['[]LocalObjectReference', 'ImagePullSecrets is an optional list of references to secrets in the same namespace to use for pulling any of the images used by this PodSpec.'],
      initContainers: ['[]Container', 'List of initialization containers belonging to the pod. Init containers are executed in order prior to containers being started.'],
      nodeName: ['string', 'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.'],
      nodeSelector: ['map[string]string', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"],
      priority: ['integer', 'The priority value. Various system components use this field to find the priority of the pod.'],
      priorityClassName: ['string', 'If specified, indicates the pod\'s priority. "system-node-critical" and "system-cluster-critical" are two special keywords which indicate the highest priorities.'],
      readinessGates: ['[]PodReadinessGate', 'If specified, all readiness gates will be evaluated for pod readiness.'],
      restartPolicy: ['string', 'Restart policy for all containers within the pod. One of Always, OnFailure, Never. Default to Always. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy'],
      schedulerName: ['string', 'If specified, the pod will be dispatched by specified scheduler. If not specified, the pod will be dispatched by default scheduler.'],
      securityContext: ['object', 'SecurityContext holds pod-level security attributes and common container settings. Optional: Defaults to empty.'],
      serviceAccountName: ['string', 'ServiceAccountName is the name of the ServiceAccount to use to run this pod. More info: https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/'],
      terminationGracePeriodSeconds: ['integer', 'Optional duration in seconds the pod needs to terminate gracefully. May be decreased in delete request. Defaults to 30 seconds.'],
      tolerations: ['[]Toleration', "If specified, the pod's tolerations."],
      volumes: ['[]Volume', 'List of volumes that can be mounted by containers belonging to the pod. More info: https://kubernetes.io/docs/concepts/storage/volumes'],
    } },
  { name: 'PodStatus', description: 'PodStatus represents information about the status of a pod. Status may trail the actual state of a system, especially if the node that hosts the pod cannot contact the control plane.',
    fields: {
      conditions: ['[]PodCondition', 'Current service state of pod. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-conditions'],
      containerStatuses: ['[]ContainerStatus', 'The list has one entry per container in the manifest. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-and-container-status'],
      hostIP: ['string', 'hostIP holds the IP address of the host to which the pod is assigned. Empty if the pod has not started yet.'],
      message: ['string', 'A human readable message indicating details about why the pod is in this condition.'],
      phase: ['string', "The phase of a Pod is a simple, high-level summary of where the Pod is in its lifecycle.\n\nPossible enum values:\n - `\"Failed\"` means that all containers in the pod have terminated, and at least one container has terminated in a failure.\n - `\"Pending\"` means the pod has been accepted by the system, but one or more of the containers has not been started.\n - `\"Running\"` means the pod has been bound to a node and all of the containers have been started.\n - `\"Succeeded\"` means that all containers in the pod have voluntarily terminated with a container exit code of 0.\n - `\"Unknown\"` means that for some reason the state of the pod could not be obtained."],
      podIP: ['string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.'],
      qosClass: ['string', 'The Quality of Service (QOS) classification assigned to the pod based on resource requirements. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/#quality-of-service-classes'],
      reason: ['string', "A brief CamelCase message indicating details about why the pod is in this state. e.g. 'Evicted'"],
      startTime: ['Time', 'RFC 3339 date and time at which the object was acknowledged by the Kubelet. This is before the Kubelet pulled the container image(s) for the pod.'],
    } },
  { name: 'PodCondition', description: 'PodCondition contains details for the current condition of this pod.', required: ['type', 'status'],
    fields: {
      lastTransitionTime: ['Time', 'Last time the condition transitioned from one status to another.'],
      message: ['string', 'Human-readable message indicating details about last transition.'],
      reason: ['string', "Unique, one-word, CamelCase reason for the condition's last transition."],
      status: ['string', 'Status is the status of the condition. Can be True, False, Unknown.'],
      type: ['string', 'Type is the type of the condition. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#pod-conditions'],
    } },
  { name: 'ContainerStatus', description: 'ContainerStatus contains details for the current status of this container.', required: ['name', 'ready', 'restartCount', 'image', 'imageID'],
    fields: {
      containerID: ['string', "ContainerID is the ID of the container in the format '<type>://<container_id>'."],
      image: ['string', 'Image is the name of container image that the container is running.'],
      imageID: ['string', "ImageID is the image ID of the container's image."],
      lastState: ['object', "LastTerminationState holds the last termination state of the container to help debug container crashes and restarts."],
      name: ['string', 'Name is a DNS_LABEL representing the unique name of the container.'],
      ready: ['boolean', 'Ready specifies whether the container is currently passing its readiness check.'],
      restartCount: ['integer', 'RestartCount holds the number of times the container has been restarted.'],
      started: ['boolean', 'Started indicates whether the container has finished its postStart lifecycle hook and passed its startup probe.'],
      state: ['object', 'State holds details about the container\'s current condition.'],
    } },
  { name: 'Container', description: 'A single application container that you want to run within a pod.', required: ['name'],
    fields: {
      args: ['[]string', "Arguments to the entrypoint. The container image's CMD is used if this is not provided. More info: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell"],
      command: ['[]string', "Entrypoint array. Not executed within a shell. The container image's ENTRYPOINT is used if this is not provided. Cannot be updated. More info: https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/#running-a-command-in-a-shell"],
      env: ['[]EnvVar', 'List of environment variables to set in the container. Cannot be updated.'],
      image: ['string', 'Container image name. More info: https://kubernetes.io/docs/concepts/containers/images This field is optional to allow higher level config management to default or override container images in workload controllers like Deployments and StatefulSets.'],
      imagePullPolicy: ['string', "Image pull policy. One of Always, Never, IfNotPresent. Defaults to Always if :latest tag is specified, or IfNotPresent otherwise. Cannot be updated. More info: https://kubernetes.io/docs/concepts/containers/images#updating-images\n\nPossible enum values:\n - `\"Always\"` means that kubelet always attempts to pull the latest image. Container will fail If the pull fails.\n - `\"IfNotPresent\"` means that kubelet pulls if the image isn't present on disk. Container will fail if the image isn't present and the pull fails.\n - `\"Never\"` means that kubelet never pulls an image, but only uses a local image. Container will fail if the image isn't present"],
      livenessProbe: ['Probe', 'Periodic probe of container liveness. Container will be restarted if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes'],
      name: ['string', 'Name of the container specified as a DNS_LABEL. Each container in a pod must have a unique name (DNS_LABEL). Cannot be updated.'],
      ports: ['[]ContainerPort', 'List of ports to expose from the container. Not specifying a port here DOES NOT prevent that port from being exposed.'],
      readinessProbe: ['Probe', 'Periodic probe of container service readiness. Container will be removed from service endpoints if the probe fails. Cannot be updated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes'],
      resources: ['ResourceRequirements', 'Compute Resources required by this container. Cannot be updated. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'],
      securityContext: ['object', 'SecurityContext defines the security options the container should be run with. More info: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/'],
      startupProbe: ['Probe', 'StartupProbe indicates that the Pod has successfully initialized. If specified, no other probes are executed until this completes successfully.'],
      terminationMessagePath: ['string', "Optional: Path at which the file to which the container's termination message will be written is mounted into the container's filesystem. Defaults to /dev/termination-log. Cannot be updated."],
      terminationMessagePolicy: ['string', 'Indicate how the termination message should be populated. File will use the contents of terminationMessagePath to populate the container status message on both success and failure. Defaults to File. Cannot be updated.'],
      volumeMounts: ['[]VolumeMount', "Pod volumes to mount into the container's filesystem. Cannot be updated."],
      workingDir: ['string', "Container's working directory. If not specified, the container runtime's default will be used, which might be configured in the container image. Cannot be updated."],
    } },
  { name: 'ContainerPort', description: 'ContainerPort represents a network port in a single container.', required: ['containerPort'],
    fields: {
      containerPort: ['integer', "Number of port to expose on the pod's IP address. This must be a valid port number, 0 < x < 65536."],
      hostPort: ['integer', 'Number of port to expose on the host. If specified, this must be a valid port number, 0 < x < 65536. Most containers do not need this.'],
      name: ['string', 'If specified, this must be an IANA_SVC_NAME and unique within the pod. Each named port in a pod must have a unique name. Name for the port that can be referred to by services.'],
      protocol: ['string', 'Protocol for port. Must be UDP, TCP, or SCTP. Defaults to "TCP".\n\nPossible enum values:\n - `"SCTP"` is the SCTP protocol.\n - `"TCP"` is the TCP protocol.\n - `"UDP"` is the UDP protocol.'],
    } },
  { name: 'EnvVar', description: 'EnvVar represents an environment variable present in a Container.', required: ['name'],
    fields: {
      name: ['string', 'Name of the environment variable. Must be a C_IDENTIFIER.'],
      value: ['string', 'Variable references $(VAR_NAME) are expanded using the previously defined environment variables in the container and any service environment variables. Defaults to "".'],
      valueFrom: ['object', "Source for the environment variable's value. Cannot be used if value is not empty."],
    } },
  { name: 'ResourceRequirements', description: 'ResourceRequirements describes the compute resource requirements.',
    fields: {
      limits: ['map[string]Quantity', 'Limits describes the maximum amount of compute resources allowed. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'],
      requests: ['map[string]Quantity', 'Requests describes the minimum amount of compute resources required. If Requests is omitted for a container, it defaults to Limits if that is explicitly specified, otherwise to an implementation-defined value. Requests cannot exceed Limits. More info: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'],
    } },
  { name: 'Probe', description: 'Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.',
    fields: {
      exec: ['object', 'Exec specifies a command to execute in the container.'],
      failureThreshold: ['integer', 'Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3. Minimum value is 1.'],
      httpGet: ['object', 'HTTPGet specifies an HTTP GET request to perform.'],
      initialDelaySeconds: ['integer', 'Number of seconds after the container has started before liveness probes are initiated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes'],
      periodSeconds: ['integer', 'How often (in seconds) to perform the probe. Default to 10 seconds. Minimum value is 1.'],
      successThreshold: ['integer', 'Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1. Must be 1 for liveness and startup. Minimum value is 1.'],
      tcpSocket: ['object', 'TCPSocket specifies a connection to a TCP port.'],
      timeoutSeconds: ['integer', 'Number of seconds after which the probe times out. Defaults to 1 second. Minimum value is 1. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes'],
    } },
  { name: 'VolumeMount', description: 'VolumeMount describes a mounting of a Volume within a container.', required: ['name', 'mountPath'],
    fields: {
      mountPath: ['string', "Path within the container at which the volume should be mounted.  Must not contain ':'."],
      name: ['string', 'This must match the Name of a Volume.'],
      readOnly: ['boolean', 'Mounted read-only if true, read-write otherwise (false or unspecified). Defaults to false.'],
      subPath: ['string', 'Path within the volume from which the container\'s volume should be mounted. Defaults to "" (volume\'s root).'],
    } },
  { name: 'Volume', description: 'Volume represents a named volume in a pod that may be accessed by any container in the pod.', required: ['name'],
    fields: {
      configMap: ['object', 'configMap represents a configMap that should populate this volume'],
      emptyDir: ['object', 'emptyDir represents a temporary directory that shares a pod\'s lifetime. More info: https://kubernetes.io/docs/concepts/storage/volumes#emptydir'],
      name: ['string', "name of the volume. Must be a DNS_LABEL and unique within the pod. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names"],
      persistentVolumeClaim: ['object', 'persistentVolumeClaimVolumeSource represents a reference to a PersistentVolumeClaim in the same namespace. More info: https://kubernetes.io/docs/concepts/storage/persistent-volumes#persistentvolumeclaims'],
      projected: ['object', 'projected items for all in one resources secrets, configmaps, and downward API'],
      secret: ['object', 'secret represents a secret that should populate this volume. More info: https://kubernetes.io/docs/concepts/storage/volumes#secret'],
    } },
  { name: 'Toleration', description: 'The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> using the matching operator <operator>.',
    fields: {
      effect: ['string', 'Effect indicates the taint effect to match. Empty means match all taint effects. When specified, allowed values are NoSchedule, PreferNoSchedule and NoExecute.'],
      key: ['string', 'Key is the taint key that the toleration applies to. Empty means match all taint keys. If the key is empty, operator must be Exists; this combination means to match all values and all keys.'],
      operator: ['string', "Operator represents a key's relationship to the value. Valid operators are Exists and Equal. Defaults to Equal."],
      tolerationSeconds: ['integer', 'TolerationSeconds represents the period of time the toleration (which must be of effect NoExecute, otherwise this field is ignored) tolerates the taint.'],
      value: ['string', 'Value is the taint value the toleration matches to. If the operator is Exists, the value should be empty, otherwise just a regular string.'],
    } },
  { name: 'LocalObjectReference', description: 'LocalObjectReference contains enough information to let you locate the referenced object inside the same namespace.',
    fields: { name: ['string', 'Name of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names'] } },
  { name: 'PodReadinessGate', description: 'PodReadinessGate contains the reference to a pod condition', required: ['conditionType'],
    fields: { conditionType: ['string', "ConditionType refers to a condition in the pod's condition list with matching type."] } },
  { name: 'PodTemplateSpec', description: 'PodTemplateSpec describes the data a pod should have when created from a template',
    fields: { metadata: ['ObjectMeta', OBJ_META], spec: ['PodSpec', 'Specification of the desired behavior of the pod. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'] } },
  { name: 'ObjectMeta', description: 'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
    fields: {
      annotations: ['map[string]string', 'Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations'],
      creationTimestamp: ['Time', 'CreationTimestamp is a timestamp representing the server time when this object was created. Populated by the system. Read-only.'],
      deletionTimestamp: ['Time', 'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted. This field is set by the server when a graceful deletion is requested by the user, and is not directly settable by a client.'],
      finalizers: ['[]string', 'Must be empty before the object is deleted from the registry. Each entry is an identifier for the responsible component that will remove the entry from the list.'],
      generateName: ['string', 'GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.'],
      generation: ['integer', 'A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.'],
      labels: ['map[string]string', 'Map of string keys and values that can be used to organize and categorize (scope and select) objects. May match selectors of replication controllers and services. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels'],
      name: ['string', 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names'],
      namespace: ['string', 'Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the "default" namespace, but "default" is the canonical representation. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces'],
      ownerReferences: ['[]OwnerReference', 'List of objects depended by this object. If ALL objects in the list have been deleted, this object will be garbage collected.'],
      resourceVersion: ['string', 'An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency'],
      uid: ['string', 'UID is the unique in time and space value for this object. It is typically generated by the server on successful creation of a resource and is not allowed to change on PUT operations. Populated by the system. Read-only. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#uids'],
    } },
  { name: 'OwnerReference', description: 'OwnerReference contains enough information to let you identify an owning object. An owning object must be in the same namespace as the dependent, or be cluster-scoped, so there is no namespace field.',
    required: ['apiVersion', 'kind', 'name', 'uid'],
    fields: {
      apiVersion: ['string', 'API version of the referent.'],
      blockOwnerDeletion: ['boolean', 'If true, AND if the owner has the "foregroundDeletion" finalizer, then the owner cannot be deleted from the key-value store until this reference is removed.'],
      controller: ['boolean', 'If true, this reference points to the managing controller.'],
      kind: ['string', 'Kind of the referent. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds'],
      name: ['string', 'Name of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names'],
      uid: ['string', 'UID of the referent. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#uids'],
    } },
  { name: 'LabelSelector', description: 'A label selector is a label query over a set of resources. The result of matchLabels and matchExpressions are ANDed. An empty label selector matches all objects. A null label selector matches no objects.',
    fields: {
      matchExpressions: ['[]LabelSelectorRequirement', 'matchExpressions is a list of label selector requirements. The requirements are ANDed.'],
      matchLabels: ['map[string]string', 'matchLabels is a map of {key,value} pairs. A single {key,value} in the matchLabels map is equivalent to an element of matchExpressions, whose key field is "key", the operator is "In", and the values array contains only "value". The requirements are ANDed.'],
    } },
  { name: 'LabelSelectorRequirement', description: 'A label selector requirement is a selector that contains values, a key, and an operator that relates the key and values.', required: ['key', 'operator'],
    fields: {
      key: ['string', 'key is the label key that the selector applies to.'],
      operator: ['string', "operator represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists and DoesNotExist."],
      values: ['[]string', 'values is an array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty.'],
    } },
  { name: 'Deployment', gvk: { group: 'apps', version: 'v1', kind: 'Deployment' }, description: 'Deployment enables declarative updates for Pods and ReplicaSets.',
    fields: {
      apiVersion: ['string', OBJ_API], kind: ['string', OBJ_KIND], metadata: ['ObjectMeta', OBJ_META],
      spec: ['DeploymentSpec', 'Specification of the desired behavior of the Deployment.'],
      status: ['DeploymentStatus', 'Most recently observed status of the Deployment.'],
    } },
  { name: 'DeploymentSpec', description: 'DeploymentSpec is the specification of the desired behavior of the Deployment.', required: ['selector', 'template'],
    fields: {
      minReadySeconds: ['integer', 'Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)'],
      paused: ['boolean', 'Indicates that the deployment is paused.'],
      progressDeadlineSeconds: ['integer', 'The maximum time in seconds for a deployment to make progress before it is considered to be failed. The deployment controller will continue to process failed deployments and a condition with a ProgressDeadlineExceeded reason will be surfaced in the deployment status. Note that progress will not be estimated during the time a deployment is paused. Defaults to 600s.'],
      replicas: ['integer', 'Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.'],
      revisionHistoryLimit: ['integer', 'The number of old ReplicaSets to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified. Defaults to 10.'],
      selector: ['LabelSelector', "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels."],
      strategy: ['DeploymentStrategy', 'The deployment strategy to use to replace existing pods with new ones.'],
      template: ['PodTemplateSpec', 'Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is "Always".'],
    } },
  { name: 'DeploymentStrategy', description: 'DeploymentStrategy describes how to replace existing pods with new ones.',
    fields: {
      rollingUpdate: ['RollingUpdateDeployment', 'Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate.'],
      type: ['string', 'Type of deployment. Can be "Recreate" or "RollingUpdate". Default is RollingUpdate.\n\nPossible enum values:\n - `"Recreate"` Kill all existing pods before creating new ones.\n - `"RollingUpdate"` Replace the old ReplicaSets by new one using rolling update i.e gradually scale down the old ReplicaSets and scale up the new one.'],
    } },
  { name: 'RollingUpdateDeployment', description: 'Spec to control the desired behavior of rolling update.',
    fields: {
      maxSurge: ['IntOrString', 'The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%.'],
      maxUnavailable: ['IntOrString', 'The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). Defaults to 25%.'],
    } },
  { name: 'DeploymentStatus', description: 'DeploymentStatus is the most recently observed status of the Deployment.',
    fields: {
      availableReplicas: ['integer', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'],
      observedGeneration: ['integer', 'The generation observed by the deployment controller.'],
      readyReplicas: ['integer', 'readyReplicas is the number of pods targeted by this Deployment with a Ready Condition.'],
      replicas: ['integer', 'Total number of non-terminated pods targeted by this deployment (their labels match the selector).'],
      unavailableReplicas: ['integer', 'Total number of unavailable pods targeted by this deployment.'],
      updatedReplicas: ['integer', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'],
    } },
  { name: 'Service', gvk: { group: '', version: 'v1', kind: 'Service' },
    description: 'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
    fields: {
      apiVersion: ['string', OBJ_API], kind: ['string', OBJ_KIND], metadata: ['ObjectMeta', OBJ_META],
      spec: ['ServiceSpec', 'Spec defines the behavior of a service. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'],
      status: ['object', 'Most recently observed status of the service. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status'],
    } },
  { name: 'ServiceSpec', description: 'ServiceSpec describes the attributes that a user creates on a service.',
    fields: {
      clusterIP: ['string', 'clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies'],
      externalName: ['string', 'externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record). No proxying will be involved.'],
      ports: ['[]ServicePort', 'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies'],
      publishNotReadyAddresses: ['boolean', 'publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready.'],
      selector: ['map[string]string', 'Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. More info: https://kubernetes.io/docs/concepts/services-networking/service/'],
      sessionAffinity: ['string', 'Supports "ClientIP" and "None". Used to maintain session affinity. Enable client IP based session affinity. Must be ClientIP or None. Defaults to None.'],
      type: ['string', 'type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.\n\nPossible enum values:\n - `"ClusterIP"` means a service will only be accessible inside the cluster, via the cluster IP.\n - `"ExternalName"` means a service consists of only a reference to an external name that kubedns or equivalent will return as a CNAME record, with no exposing or proxying of any pods involved.\n - `"LoadBalancer"` means a service will be exposed via an external load balancer (if the cloud provider supports it), in addition to \'NodePort\' type.\n - `"NodePort"` means a service will be exposed on one port of every node, in addition to \'ClusterIP\' type.'],
    } },
  { name: 'ServicePort', description: "ServicePort contains information on service's port.", required: ['port'],
    fields: {
      appProtocol: ['string', 'The application protocol for this port. This is used as a hint for implementations to offer richer behavior for protocols that they understand.'],
      name: ['string', "The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names."],
      nodePort: ['integer', 'The port on each node on which this service is exposed when type is NodePort or LoadBalancer. Usually assigned by the system. More info: https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport'],
      port: ['integer', 'The port that will be exposed by this service.'],
      protocol: ['string', 'The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.'],
      targetPort: ['IntOrString', "Number or name of the port to access on the pods targeted by the service. Number must be in the range 1 to 65535. Name must be an IANA_SVC_NAME. If this is a string, it will be looked up as a named port in the target Pod's container ports. If this is not specified, the value of the 'port' field is used (an identity map). More info: https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service"],
    } },
];

const LEAVES: Record<string, J> = {
  [FULL.Quantity!]: { description: 'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.', oneOf: [{ type: 'string' }, { type: 'number' }] },
  [FULL.IntOrString!]: { description: 'IntOrString is a type that can hold an int32 or a string.', format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
  [FULL.Time!]: { description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.', format: 'date-time', type: 'string' },
};

function prop(type: string, description: string): J {
  const ref = (n: string) => ({ allOf: [{ $ref: `#/components/schemas/${full(n)}` }], default: {} });
  const prim = (t: string): J | undefined => (['string', 'integer', 'boolean', 'number'].includes(t)
    ? { type: t, ...(t === 'integer' ? { format: 'int32' } : {}), default: t === 'string' ? '' : t === 'boolean' ? false : 0 }
    : t === 'object' ? { type: 'object' } : undefined);
  if (type.startsWith('[]')) {
    const inner = type.slice(2);
    return { description, type: 'array', items: prim(inner) ?? ref(inner) };
  }
  if (type.startsWith('map[string]')) {
    const inner = type.slice('map[string]'.length);
    return { description, type: 'object', additionalProperties: prim(inner) ?? ref(inner) };
  }
  const p = prim(type);
  if (p) {
    const { default: _d, ...rest } = p;
    return { description, ...rest };
  }
  return { description, ...ref(type) };
}

let cache: Record<string, J> | undefined;

/** components.schemas for every group-version document. */
export function componentSchemas(): Record<string, J> {
  if (cache) return cache;
  const out: Record<string, J> = { ...LEAVES };
  for (const t of TYPES) {
    out[full(t.name)] = {
      description: t.description,
      type: 'object',
      ...(t.required ? { required: t.required } : {}),
      properties: Object.fromEntries(Object.entries(t.fields).map(([k, [ty, d]]) => [k, prop(ty, d)])),
      ...(t.gvk ? { 'x-kubernetes-group-version-kind': [t.gvk] } : {}),
    };
  }
  return (cache = out);
}

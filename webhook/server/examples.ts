/**
 * Realistic AdmissionReview v1 documents, as the API server sends them: the driver and an executor of
 * a Spark job submitted with spark-submit (Spark 3.5 on Kubernetes), a Deployment, and a ConfigMap.
 * The server's tests and the `webhook.admission` benchmark send these.
 */
type Json = { [key: string]: unknown };

const SPARK_APP = 'spark-3f1c2b9e8d7a4c6b9a0e1d2c3b4a5f6e';

export interface ReviewOptions {
  readonly uid?: string;
  readonly operation?: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly namespace?: string;
  readonly username?: string;
  readonly groups?: readonly string[];
  readonly oldObject?: unknown;
}

export function admissionReview(kind: { group: string; version: string; kind: string; resource: string }, object: unknown, options: ReviewOptions = {}): Json {
  const namespace = options.namespace ?? 'spark-jobs';
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: options.uid ?? '705ab4f5-6393-11e8-b7cc-42010a800002',
      kind: { group: kind.group, version: kind.version, kind: kind.kind },
      resource: { group: kind.group, version: kind.version, resource: kind.resource },
      requestKind: { group: kind.group, version: kind.version, kind: kind.kind },
      requestResource: { group: kind.group, version: kind.version, resource: kind.resource },
      namespace,
      operation: options.operation ?? 'CREATE',
      userInfo: { username: options.username ?? 'alice', uid: '014fbff9a07c', groups: [...(options.groups ?? ['data-eng', 'system:authenticated'])] },
      object,
      oldObject: options.oldObject ?? null,
      dryRun: false,
      options: { apiVersion: 'meta.k8s.io/v1', kind: options.operation === 'UPDATE' ? 'UpdateOptions' : 'CreateOptions' },
    },
  };
}

export const POD_KIND = { group: '', version: 'v1', kind: 'Pod', resource: 'pods' } as const;
export const DEPLOYMENT_KIND = { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments' } as const;
export const CONFIG_MAP_KIND = { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps' } as const;

function sparkPod(role: 'driver' | 'executor', namespace: string): Json {
  const name = role === 'driver' ? 'spark-pi-driver' : 'spark-pi-exec-1';
  const labels: Json = { 'spark-app-selector': SPARK_APP, 'spark-app-name': 'spark-pi', 'spark-role': role, 'spark-version': '3.5.1', queue: 'root.data.etl' };
  if (role === 'executor') {
    labels['spark-exec-id'] = '1';
    labels['spark-exec-resourceprofile-id'] = '0';
  }
  const executorEnv = [
    { name: 'SPARK_USER', value: 'alice' },
    { name: 'SPARK_DRIVER_URL', value: 'spark://CoarseGrainedScheduler@spark-pi-3f1c2b-driver-svc.spark-jobs.svc:7078' },
    { name: 'SPARK_EXECUTOR_CORES', value: '2' },
    { name: 'SPARK_EXECUTOR_MEMORY', value: '4096m' },
    { name: 'SPARK_APPLICATION_ID', value: SPARK_APP },
    { name: 'SPARK_CONF_DIR', value: '/opt/spark/conf' },
    { name: 'SPARK_EXECUTOR_ID', value: '1' },
    { name: 'SPARK_RESOURCE_PROFILE_ID', value: '0' },
    { name: 'SPARK_EXECUTOR_POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
    { name: 'SPARK_EXECUTOR_POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
    { name: 'SPARK_JAVA_OPT_0', value: '-Dspark.driver.port=7078' },
    { name: 'SPARK_LOCAL_DIRS', value: '/var/data/spark-9b0f0c43-3c41-4b0e-a52d-8f5e1d4e2a10' },
  ];
  const driverEnv = [
    { name: 'SPARK_USER', value: 'alice' },
    { name: 'SPARK_APPLICATION_ID', value: SPARK_APP },
    { name: 'SPARK_DRIVER_BIND_ADDRESS', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
    { name: 'SPARK_LOCAL_DIRS', value: '/var/data/spark-9b0f0c43-3c41-4b0e-a52d-8f5e1d4e2a10' },
    { name: 'SPARK_CONF_DIR', value: '/opt/spark/conf' },
  ];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels,
      annotations: { 'yunikorn.apache.org/task-group-name': role === 'driver' ? 'spark-driver' : 'spark-executor' },
      ...(role === 'executor'
        ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'spark-pi-driver', uid: 'c7d5e3f1-8a2b-4c6d-9e0f-1a2b3c4d5e6f', controller: true }] }
        : {}),
      managedFields: [{ manager: 'okhttp', operation: 'Update', apiVersion: 'v1', time: '2024-05-01T10:00:00Z', fieldsType: 'FieldsV1' }],
    },
    spec: {
      restartPolicy: 'Never',
      hostname: name,
      serviceAccountName: role === 'driver' ? 'spark' : 'default',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      priority: 0,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      securityContext: { fsGroup: 185 },
      containers: [
        {
          name: role === 'driver' ? 'spark-kubernetes-driver' : 'spark-kubernetes-executor',
          image: 'apache/spark:3.5.1-scala2.12-java17-python3-ubuntu',
          imagePullPolicy: 'IfNotPresent',
          args: role === 'driver'
            ? ['driver', '--properties-file', '/opt/spark/conf/spark.properties', '--class', 'org.apache.spark.examples.SparkPi', 'local:///opt/spark/examples/jars/spark-examples_2.12-3.5.1.jar', '1000']
            : ['executor'],
          env: role === 'driver' ? driverEnv : executorEnv,
          ports: role === 'driver'
            ? [{ name: 'driver-rpc-port', containerPort: 7078, protocol: 'TCP' }, { name: 'blockmanager', containerPort: 7079, protocol: 'TCP' }, { name: 'spark-ui', containerPort: 4040, protocol: 'TCP' }]
            : [{ name: 'blockmanager', containerPort: 7079, protocol: 'TCP' }],
          resources: role === 'driver'
            ? { requests: { cpu: '1', memory: '1408Mi' }, limits: { memory: '1408Mi' } }
            : { requests: { cpu: '2', memory: '4505Mi' }, limits: { memory: '4505Mi' } },
          volumeMounts: [
            { name: 'spark-local-dir-1', mountPath: '/var/data/spark-9b0f0c43-3c41-4b0e-a52d-8f5e1d4e2a10' },
            ...(role === 'driver' ? [{ name: 'spark-conf-volume-driver', mountPath: '/opt/spark/conf' }] : []),
            { name: 'kube-api-access-7x2kq', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
          ],
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      volumes: [
        { name: 'spark-local-dir-1', emptyDir: {} },
        ...(role === 'driver' ? [{ name: 'spark-conf-volume-driver', configMap: { name: 'spark-drv-3f1c2b9e-conf-map', defaultMode: 420, items: [{ key: 'spark.properties', path: 'spark.properties', mode: 420 }] } }] : []),
        {
          name: 'kube-api-access-7x2kq',
          projected: {
            defaultMode: 420,
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
            ],
          },
        },
      ],
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
      dnsPolicy: 'ClusterFirst',
    },
    status: {},
  };
}

export function sparkDriverPod(namespace = 'spark-jobs'): Json {
  return sparkPod('driver', namespace);
}

export function sparkExecutorPod(namespace = 'spark-jobs'): Json {
  return sparkPod('executor', namespace);
}

export function deployment(namespace = 'spark-jobs'): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'history-server', namespace, labels: { app: 'spark-history' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'spark-history' } },
      template: {
        metadata: { labels: { app: 'spark-history', applicationId: 'spark-history' } },
        spec: { containers: [{ name: 'history', image: 'apache/spark:3.5.1', args: ['/opt/spark/sbin/start-history-server.sh'], resources: { requests: { cpu: '500m', memory: '1Gi' } } }] },
      },
    },
  };
}

export function configMap(name: string, data: Readonly<Record<string, unknown>> | null, namespace = 'drover'): Json {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, ...(data === null ? {} : { data }) };
}

/**
 * Server-side printing: what `kubectl get` shows. kubectl asks for a `meta.k8s.io/v1` Table
 * (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`) and prints its columns as they come;
 * without one it prints only NAME and AGE. The columns and cells follow Kubernetes' own printers
 * (`pkg/printers/internalversion/printers.go`) for the served kinds; priority-1 columns are the
 * extra ones of `-o wide`. Rows carry the object's metadata, which kubectl reads for `-A` and
 * `--show-labels`.
 */
import type { KubeObject } from './selectors.js';

export interface Column {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'date';
  readonly priority: 0 | 1;
  readonly format?: 'name';
}

type Cell = string | number;
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as unknown[]).map(obj) : []);
const str = (v: unknown, none = '<none>'): string => (typeof v === 'string' && v !== '' ? v : none);

/** Whether an Accept header asks for a Table. */
export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

/** Kubernetes' `duration.HumanDuration`: 45s, 3m20s, 15m, 5h30m, 3d4h, 20d, 2y10d. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  const both = (a: number, unitA: string, b: number, unitB: string) => (b === 0 ? `${a}${unitA}` : `${a}${unitA}${b}${unitB}`);
  if (minutes < 10) return both(minutes, 'm', seconds % 60, 's');
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return both(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) return both(days, 'd', hours % 24, 'h');
  if (hours < 24 * 365 * 2) return `${days}d`;
  if (hours < 24 * 365 * 8) return both(Math.floor(days / 365), 'y', days % 365, 'd');
  return `${Math.floor(days / 365)}y`;
}

interface Printer {
  readonly columns: readonly Column[];
  readonly cells: (o: KubeObject, age: (t: unknown) => string) => readonly Cell[];
}

const name: Column = { name: 'Name', type: 'string', priority: 0, format: 'name' };
const ageColumn: Column = { name: 'Age', type: 'string', priority: 0 };
const col = (n: string, priority: 0 | 1 = 0, type: Column['type'] = 'string'): Column => ({ name: n, type, priority });

/** kubectl's pod STATUS: the phase, or what a container waits on or ended with, or Terminating. */
function podStatus(pod: KubeObject): { status: string; ready: number; restarts: number } {
  const status = obj(pod.status);
  let reason = str(status.reason, str(status.phase, 'Unknown'));
  let ready = 0;
  let restarts = 0;
  for (const c of list(status.containerStatuses)) {
    restarts += typeof c.restartCount === 'number' ? c.restartCount : 0;
    const state = obj(c.state);
    const waiting = obj(state.waiting);
    const terminated = obj(state.terminated);
    if (typeof waiting.reason === 'string' && waiting.reason !== '') reason = waiting.reason;
    else if (state.terminated !== undefined) reason = str(terminated.reason, `ExitCode:${typeof terminated.exitCode === 'number' ? terminated.exitCode : 0}`);
    else if (c.ready === true && state.running !== undefined) ready += 1;
  }
  if (pod.metadata?.deletionTimestamp !== undefined) reason = 'Terminating';
  return { status: reason, ready, restarts };
}

const PRINTERS: Readonly<Record<string, Printer>> = {
  Pod: {
    columns: [name, col('Ready'), col('Status'), col('Restarts', 0, 'integer'), ageColumn, col('IP', 1), col('Node', 1), col('Nominated Node', 1), col('Readiness Gates', 1)],
    cells: (o, age) => {
      const s = podStatus(o);
      const status = obj(o.status);
      return [str(o.metadata?.name), `${s.ready}/${list(o.spec?.containers).length}`, s.status, s.restarts, age(o.metadata?.creationTimestamp), str(status.podIP), str(o.spec?.nodeName), str(status.nominatedNodeName), '<none>'];
    },
  },
  Node: {
    columns: [name, col('Status'), col('Roles'), ageColumn, col('Version'), col('Internal-IP', 1), col('External-IP', 1), col('OS-Image', 1), col('Kernel-Version', 1), col('Container-Runtime', 1)],
    cells: (o, age) => {
      const status = obj(o.status);
      const ready = list(status.conditions).find((c) => c.type === 'Ready');
      const conditions = [ready?.status === 'True' ? 'Ready' : ready === undefined ? 'Unknown' : 'NotReady', ...(o.spec?.unschedulable === true ? ['SchedulingDisabled'] : [])];
      const roles = Object.keys(o.metadata?.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length));
      const address = (type: string) => str(list(status.addresses).find((a) => a.type === type)?.address);
      const info = obj(status.nodeInfo);
      return [str(o.metadata?.name), conditions.join(','), roles.length === 0 ? '<none>' : roles.join(','), age(o.metadata?.creationTimestamp), str(info.kubeletVersion, ''), address('InternalIP'), address('ExternalIP'), str(info.osImage, '<unknown>'), str(info.kernelVersion, '<unknown>'), str(info.containerRuntimeVersion, '<unknown>')];
    },
  },
  Namespace: { columns: [name, col('Status'), ageColumn], cells: (o, age) => [str(o.metadata?.name), str(obj(o.status).phase, ''), age(o.metadata?.creationTimestamp)] },
  ConfigMap: { columns: [name, col('Data', 0, 'integer'), ageColumn], cells: (o, age) => [str(o.metadata?.name), Object.keys(obj(o.data)).length + Object.keys(obj(o.binaryData)).length, age(o.metadata?.creationTimestamp)] },
  Secret: { columns: [name, col('Type'), col('Data', 0, 'integer'), ageColumn], cells: (o, age) => [str(o.metadata?.name), str(o.type, 'Opaque'), Object.keys(obj(o.data)).length, age(o.metadata?.creationTimestamp)] },
  Event: {
    columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Subobject', 1), col('Source', 1), col('Message'), col('First Seen', 1), col('Count', 1, 'integer'), { ...name, priority: 1 }],
    cells: (o, age) => {
      const involved = obj(o.involvedObject ?? o.regarding);
      const source = obj(o.source);
      const last = o.lastTimestamp ?? o.eventTime ?? o.metadata?.creationTimestamp;
      return [age(last), str(o.type, ''), str(o.reason, ''), `${str(involved.kind, '').toLowerCase()}/${str(involved.name, '')}`, str(involved.fieldPath, ''), str(source.component, str(o.reportingComponent, '')), str(o.message ?? o.note, ''), age(o.firstTimestamp ?? last), typeof o.count === 'number' ? o.count : 1, str(o.metadata?.name)];
    },
  },
  PriorityClass: {
    columns: [name, col('Value', 0, 'integer'), col('Global-Default'), ageColumn, col('PreemptionPolicy')],
    cells: (o, age) => [str(o.metadata?.name), typeof o.value === 'number' ? o.value : 0, String(o.globalDefault === true), age(o.metadata?.creationTimestamp), str(o.preemptionPolicy, 'PreemptLowerPriority')],
  },
  Lease: { columns: [name, col('Holder'), ageColumn], cells: (o, age) => [str(o.metadata?.name), str(o.spec?.holderIdentity, ''), age(o.metadata?.creationTimestamp)] },
  MutatingWebhookConfiguration: { columns: [name, col('Webhooks', 0, 'integer'), ageColumn], cells: (o, age) => [str(o.metadata?.name), list(o.webhooks).length, age(o.metadata?.creationTimestamp)] },
  ValidatingWebhookConfiguration: { columns: [name, col('Webhooks', 0, 'integer'), ageColumn], cells: (o, age) => [str(o.metadata?.name), list(o.webhooks).length, age(o.metadata?.creationTimestamp)] },
};

const DEFAULT_PRINTER: Printer = { columns: [name, ageColumn], cells: (o, age) => [str(o.metadata?.name), age(o.metadata?.creationTimestamp)] };

/**
 * A list (`<Kind>List`) or a single object as a Table, its ages counted to `now`; `columns` false
 * leaves the column definitions out (watch events after the first, as the real server sends them).
 */
export function asTable(body: unknown, now: Date, columns = true): unknown {
  const doc = obj(body) as KubeObject;
  const isList = typeof doc.kind === 'string' && doc.kind.endsWith('List') && Array.isArray(doc.items);
  const items = isList ? list(doc.items) : [doc];
  const kind = isList ? (doc.kind ?? '').slice(0, -'List'.length) : (doc.kind ?? '');
  const printer = Object.hasOwn(PRINTERS, kind) ? (PRINTERS[kind] ?? DEFAULT_PRINTER) : DEFAULT_PRINTER;
  const age = (t: unknown) => (typeof t === 'string' ? humanDuration(now.getTime() - Date.parse(t)) : '<unknown>');
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: isList ? str(obj(doc.metadata).resourceVersion, '') : str(doc.metadata?.resourceVersion, '') },
    columnDefinitions: columns ? printer.columns.map((c) => ({ ...c, format: c.format ?? '', description: '' })) : [],
    rows: items.map((o) => ({
      cells: printer.cells(o as KubeObject, age),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj(o.metadata) },
    })),
  };
}

/**
 * Simulated kubelets for the embedded API server: a fleet of nodes that report Ready, and pods that,
 * once bound to one of them, start Running shortly after and Succeed after the run time they declare
 * in the annotation RUN_SECONDS_ANNOTATION (none: they run until deleted). Timers are injected, so
 * tests move time by hand.
 */
import type { KubeObject } from './selectors.js';
import type { ObjectStore, WatchEvent } from './store.js';

/** Seconds a pod runs once started; absent: forever. */
export const RUN_SECONDS_ANNOTATION = 'sim.drover.dev/run-seconds';
/** How long a bound pod takes to start, as a kubelet pulling a cached image would. */
export const START_DELAY_MS = 500;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): Date;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  now: () => new Date(),
};

export interface NodeSpec {
  readonly name: string;
  readonly cpu: string;
  readonly memory: string;
  readonly pods?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

const POD_KEY = '/pods';
const NODE_KEY = '/nodes';
const iso = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z');

export function nodeObject(spec: NodeSpec, now: Date): KubeObject {
  const allocatable = { cpu: spec.cpu, memory: spec.memory, pods: spec.pods ?? '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: spec.name, labels: { 'kubernetes.io/hostname': spec.name, 'kubernetes.io/os': 'linux', ...spec.labels } },
    spec: {},
    status: {
      capacity: allocatable,
      allocatable,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'simulated kubelet is posting ready status', lastHeartbeatTime: iso(now), lastTransitionTime: iso(now) }],
      nodeInfo: { kubeletVersion: 'v1.30.0-drover', osImage: 'drover simulated node', architecture: 'amd64', operatingSystem: 'linux' },
    },
  };
}

export class Kubelets {
  private readonly timers = new Map<string, unknown>();
  private stop: (() => void) | null = null;

  constructor(
    private readonly store: ObjectStore,
    private readonly time: Timers = realTimers,
  ) {}

  addNodes(specs: readonly NodeSpec[]): void {
    for (const spec of specs) this.store.create(NODE_KEY, nodeObject(spec, this.time.now()));
  }

  /** Start following pods: bound pods on our nodes start and finish. */
  start(): void {
    const r = this.store.watch(POD_KEY, { namespace: null }, (e) => this.onPod(e));
    if (r.ok) this.stop = r.value;
  }

  shutdown(): void {
    this.stop?.();
    for (const h of this.timers.values()) this.time.clearTimeout(h);
    this.timers.clear();
  }

  private onPod(e: WatchEvent): void {
    const pod = e.object;
    const id = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
    if (e.type === 'DELETED') {
      this.cancel(id);
      return;
    }
    const node = pod.spec?.nodeName;
    if (typeof node !== 'string' || node === '' || !this.store.get(NODE_KEY, undefined, node).ok) return;
    const phase = pod.status?.phase;
    if (phase === 'Pending' && !this.timers.has(id)) {
      this.timers.set(id, this.time.setTimeout(() => this.transition(pod, 'Running'), START_DELAY_MS));
    } else if (phase === 'Running' && !this.timers.has(id)) {
      const seconds = Number(pod.metadata?.annotations?.[RUN_SECONDS_ANNOTATION] ?? '');
      if (Number.isFinite(seconds) && seconds >= 0 && pod.metadata?.annotations?.[RUN_SECONDS_ANNOTATION] !== undefined) {
        this.timers.set(id, this.time.setTimeout(() => this.transition(pod, 'Succeeded'), seconds * 1000));
      }
    }
  }

  private cancel(id: string): void {
    const h = this.timers.get(id);
    if (h !== undefined) this.time.clearTimeout(h);
    this.timers.delete(id);
  }

  private transition(pod: KubeObject, phase: 'Running' | 'Succeeded'): void {
    const ns = pod.metadata?.namespace;
    const name = pod.metadata?.name ?? '';
    this.timers.delete(`${ns ?? ''}/${name}`);
    const current = this.store.get(POD_KEY, ns, name);
    if (!current.ok) return;
    const now = iso(this.time.now());
    const status = { ...current.value.status, phase, ...(phase === 'Running' ? { startTime: now } : {}), ...containerStatus(current.value, phase, now) };
    this.store.update(POD_KEY, { ...current.value, status, metadata: { ...current.value.metadata, resourceVersion: '' } });
  }
}

type Obj = Record<string, unknown>;
const objects = (v: unknown): Obj[] => (Array.isArray(v) ? (v as unknown[]).filter((x): x is Obj => x !== null && typeof x === 'object') : []);

/**
 * What a kubelet reports with the phase: each container running and ready, or terminated with exit
 * code 0, and the pod's Ready conditions (kubectl's READY and STATUS columns and `describe` read them).
 */
function containerStatus(pod: KubeObject, phase: 'Running' | 'Succeeded', now: string): Obj {
  const running = phase === 'Running';
  const before = new Map(objects(pod.status?.containerStatuses).map((c) => [c.name, c]));
  const containerStatuses = objects(pod.spec?.containers).map((c) => {
    const startedAt = (before.get(c.name)?.state as { running?: { startedAt?: string } } | undefined)?.running?.startedAt ?? now;
    return {
      name: c.name,
      image: c.image,
      imageID: '',
      ready: running,
      started: running,
      restartCount: 0,
      state: running ? { running: { startedAt } } : { terminated: { exitCode: 0, reason: 'Completed', startedAt, finishedAt: now } },
    };
  });
  const ready = (type: string) => ({ type, status: running ? 'True' : 'False', lastTransitionTime: now, ...(running ? {} : { reason: 'PodCompleted' }) });
  const kept = objects(pod.status?.conditions).filter((c) => !['Initialized', 'Ready', 'ContainersReady'].includes(String(c.type)));
  return { containerStatuses, conditions: [...kept, { type: 'Initialized', status: 'True', lastTransitionTime: now }, ready('Ready'), ready('ContainersReady')] };
}

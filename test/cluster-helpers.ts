/**
 * A cluster for the shim's end-to-end fault and restart suites: the embedded API server on HTTPS
 * behind a thin front that records every binding request (which pod, which node, the answer, whether
 * the pod was already bound when it came), can fail bindings on purpose (the server's own fault plan
 * has no 409 for a POST, and cannot lose an answer after the write) and can refuse one chosen request;
 * simulated kubelets; a burst of pods; and the books a test checks the scheduler against (what is
 * bound where, per queue and per node), computed from the pods' own specs, not with the shim's code.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { ApiServer } from '../apiserver/api.js';
import { NO_FAULTS } from '../apiserver/faults.js';
import { createApp } from '../apiserver/http.js';
import type { FaultControl } from '../apiserver/http.js';
import { kubeconfig } from '../apiserver/kubeconfig.js';
import { Kubelets, RUN_SECONDS_ANNOTATION } from '../apiserver/kubelets.js';
import type { NodeSpec } from '../apiserver/kubelets.js';
import type { KubeObject } from '../apiserver/selectors.js';
import { generateCertificates, tlsOptions } from '../tls/certificates.js';
import { seededRandom } from '../core/random.js';

export const QUEUE_LABEL = 'yunikorn.apache.org/queue';
export const APP_LABEL = 'yunikorn.apache.org/app-id';
const Mi = 1024 * 1024;

/** Faults on the binding subresource only, as probabilities per binding request (the server's own plan has no 409 for POSTs). */
export interface BindingFaults {
  /** Answer 409 Conflict without binding (another writer won, as far as the client can tell). */
  conflict: number;
  /** Answer 500 without binding. */
  internalError: number;
  /** Bind, then drop the connection before the answer: the write happened, the client cannot know. */
  lostResponse: number;
}

export const NO_BINDING_FAULTS: BindingFaults = { conflict: 0, internalError: 0, lostResponse: 0 };

export interface BindingAttempt {
  /** namespace/name */
  readonly pod: string;
  readonly node: string;
  /** The HTTP status the client got; 0 when it got no answer (the connection was dropped), -1 while open. */
  status: number;
  /** The pod already had a node when the request came: a second binding. */
  readonly alreadyBound: boolean;
  readonly injected: 'conflict' | 'internalError' | 'lostResponse' | null;
}

export interface Refusal {
  readonly method: string;
  readonly path: RegExp;
  readonly watch: boolean;
  readonly code: 500 | 503;
}

export interface TestCluster {
  readonly api: ApiServer;
  /** The server's own fault plan (500, 409 on writes, 410 on watches, latency, dropped watches). */
  readonly faults: FaultControl;
  readonly bindingFaults: BindingFaults;
  readonly bindings: readonly BindingAttempt[];
  /** Per pod (namespace/name), how often the store saw its node change from none to one: bindings stored. */
  readonly bound: ReadonlyMap<string, number>;
  readonly kubeconfigText: string;
  readonly kubeConfig: KubeConfig;
  readonly nodes: readonly NodeSpec[];
  /** Answer the next request that matches with this error, once (a list that fails at the wrong moment). */
  refuseNext(r: Refusal): void;
  close(): Promise<void>;
}


const BINDING_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/binding$/;
const TOKEN = 'drover-faults';

export async function startCluster(o: { readonly nodes: readonly NodeSpec[]; readonly seed?: number }): Promise<TestCluster> {
  const certificate = await generateCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), validityDays: 1 });
  const api = new ApiServer();
  const random = seeded(o.seed ?? 1);
  const faults: FaultControl = { plan: NO_FAULTS, random };
  const bindingFaults: BindingFaults = { ...NO_BINDING_FAULTS };
  const bindings: BindingAttempt[] = [];
  const refusals: Refusal[] = [];
  const nodeOf = (namespace: string, name: string): string => {
    const pod = api.store.get('/pods', namespace, name);
    const node = pod.ok ? pod.value.spec?.nodeName : undefined;
    return typeof node === 'string' ? node : '';
  };

  // The front: a refused request is answered here; bindings are parsed here (the inner app then skips
  // its own parsing), recorded with their answer, and failed when the binding plan says so; everything
  // else goes straight through.
  const parse = express.json();
  const front = express();
  front.use((req: Request, res: Response, next: NextFunction) => {
    const refusal = refusals.findIndex((r) => r.method === req.method && r.path.test(req.path) && (req.query.watch === 'true') === r.watch);
    if (refusal >= 0) {
      const [r] = refusals.splice(refusal, 1);
      res.status(r?.code ?? 500).json({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'InternalError', code: r?.code ?? 500, message: 'injected fault: refused once' });
      return;
    }
    const m = BINDING_PATH.exec(req.path);
    if (req.method !== 'POST' || m === null || req.headers.authorization !== `Bearer ${TOKEN}`) {
      next();
      return;
    }
    parse(req, res, () => {
      const namespace = decodeURIComponent(m[1] ?? '');
      const name = decodeURIComponent(m[2] ?? '');
      const body = req.body as { target?: { name?: unknown } } | undefined;
      const node = typeof body?.target?.name === 'string' ? body.target.name : '';
      const pod = `${namespace}/${name}`;
      const before = nodeOf(namespace, name);
      // Recorded in the order the requests came; the status is filled in when the answer is known.
      const record = (status: number, injected: BindingAttempt['injected']) => {
        const attempt = { pod, node, status, alreadyBound: before !== '', injected };
        bindings.push(attempt);
        return attempt;
      };
      const draw = random();
      const f = bindingFaults;
      if (draw < f.conflict) {
        record(409, 'conflict');
        res.status(409).json({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Conflict', code: 409, message: 'injected fault: binding conflict' });
      } else if (draw < f.conflict + f.internalError) {
        record(500, 'internalError');
        res.status(500).json({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'InternalError', code: 500, message: 'injected fault: internal error' });
      } else if (draw < f.conflict + f.internalError + f.lostResponse) {
        api.request({ method: 'POST', path: req.path, query: {}, body: req.body });
        record(0, 'lostResponse');
        req.socket.destroy();
      } else {
        const attempt = record(-1, null);
        res.on('close', () => (attempt.status = res.writableFinished ? res.statusCode : 0));
        next();
      }
    });
  });
  front.use(createApp(api, TOKEN, faults));

  // Bindings stored, counted from the store's own changes (a node appearing on a pod), whoever made them.
  const bound = new Map<string, number>();
  const nodes = new Map<string, string>();
  const watched = api.store.watch('/pods', { namespace: null }, (e) => {
    const key = `${e.object.metadata?.namespace ?? ''}/${e.object.metadata?.name ?? ''}`;
    const node = typeof e.object.spec?.nodeName === 'string' ? e.object.spec.nodeName : '';
    if (node !== '' && node !== (nodes.get(key) ?? '')) bound.set(key, (bound.get(key) ?? 0) + 1);
    nodes.set(key, node);
  });
  if (!watched.ok) throw new Error(watched.error.message);
  const server = createServer(tlsOptions(certificate), front);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const kubeconfigText = kubeconfig({ server: `https://127.0.0.1:${port}`, caPem: certificate.caPem ?? '', token: TOKEN });
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigText);
  const kubelets = new Kubelets(api.store);
  kubelets.addNodes(o.nodes);
  kubelets.start();
  return {
    api,
    faults,
    bindingFaults,
    bindings,
    bound,
    kubeconfigText,
    kubeConfig: kc,
    nodes: o.nodes,
    refuseNext: (r) => void refusals.push(r),
    close: async () => {
      kubelets.shutdown();
      watched.value();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a test pod asks for, in the core's units (millicores, bytes). */
export interface PodShape {
  readonly name: string;
  readonly queue: string;
  readonly app: string;
  readonly milliCpu: number;
  readonly memoryMi: number;
  /** Finishes this long after it starts; absent: runs until deleted. */
  readonly runSeconds?: number;
}

export function podObject(p: PodShape, schedulerName = 'drover'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: 'default',
      labels: { [QUEUE_LABEL]: p.queue, [APP_LABEL]: p.app },
      ...(p.runSeconds === undefined ? {} : { annotations: { [RUN_SECONDS_ANNOTATION]: String(p.runSeconds) } }),
    },
    spec: { schedulerName, containers: [{ name: 'c', image: 'pause', resources: { requests: { cpu: `${p.milliCpu}m`, memory: `${p.memoryMi}Mi` } } }] },
  };
}

/** Create pods through the API (defaulting included), a chunk per turn of the event loop: a burst the shim sees arrive while it works. */
export async function createPods(api: ApiServer, pods: readonly PodShape[], chunk = 25): Promise<void> {
  for (let i = 0; i < pods.length; i += chunk) {
    for (const p of pods.slice(i, i + chunk)) {
      const r = api.request({ method: 'POST', path: '/api/v1/namespaces/default/pods', query: {}, body: podObject(p) });
      if (r.kind !== 'json' || r.status !== 201) throw new Error(`could not create pod ${p.name}: ${JSON.stringify(r)}`);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** A pod as the store holds it, reduced to what the checks need. */
export interface PodView {
  readonly name: string;
  readonly queue: string;
  readonly node: string;
  readonly phase: string;
  readonly milliCpu: number;
  readonly memory: number;
  readonly scheduledReason: string | null;
}

const milli = (q: unknown): number => {
  const s = String(q);
  return s.endsWith('m') ? Number(s.slice(0, -1)) : Number(s) * 1000;
};
const mebi = (q: unknown): number => {
  const s = String(q);
  if (!s.endsWith('Mi')) throw new Error(`test pods ask for memory in Mi, not ${s}`);
  return Number(s.slice(0, -2)) * Mi;
};

export function podsOf(api: ApiServer): PodView[] {
  return api.store.list('/pods', 'default').items.map((p) => {
    const containers = (p.spec?.containers ?? []) as { resources?: { requests?: Record<string, unknown> } }[];
    const conditions = (p.status?.conditions ?? []) as { type?: string; status?: string; reason?: string }[];
    const scheduled = conditions.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    const labels = p.metadata?.labels ?? {};
    return {
      name: p.metadata?.name ?? '',
      queue: labels[QUEUE_LABEL] ?? '',
      node: typeof p.spec?.nodeName === 'string' ? p.spec.nodeName : '',
      phase: typeof p.status?.phase === 'string' ? p.status.phase : '',
      milliCpu: containers.reduce((s, c) => s + milli(c.resources?.requests?.cpu ?? '0'), 0),
      memory: containers.reduce((s, c) => s + mebi(c.resources?.requests?.memory ?? '0Mi'), 0),
      scheduledReason: scheduled?.reason ?? null,
    };
  });
}

/** Bound and not finished: what holds resources on a node and in a queue. */
export const holding = (p: PodView): boolean => p.node !== '' && p.phase !== 'Succeeded' && p.phase !== 'Failed';

export interface Usage {
  readonly vcore: number;
  readonly memory: number;
  readonly pods: number;
}

/** Sum of the requests of the pods that hold resources, grouped by `key` (queue or node). */
export function usageBy(pods: readonly PodView[], key: (p: PodView) => string): Map<string, Usage> {
  const out = new Map<string, Usage>();
  for (const p of pods.filter(holding)) {
    const u = out.get(key(p)) ?? { vcore: 0, memory: 0, pods: 0 };
    out.set(key(p), { vcore: u.vcore + p.milliCpu, memory: u.memory + p.memory, pods: u.pods + 1 });
  }
  return out;
}

/** A resource map from the core, reduced to the three resources the test pods ask for. */
export const usageOf = (r: Readonly<Record<string, number>> | undefined): Usage => ({ vcore: r?.vcore ?? 0, memory: r?.memory ?? 0, pods: r?.pods ?? 0 });

/** Poll `holds` until it is true; on timeout, fail with what `explain` says about the state. */
export async function waitFor(holds: () => boolean, timeoutMs: number, explain: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!holds()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${explain()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Bindings sent for a pod that already had a node, except after an attempt for the same pod whose
 * answer never reached the client: then the scheduler could not know its binding had landed.
 */
export function needlessSecondBindings(bindings: readonly BindingAttempt[]): BindingAttempt[] {
  const unanswered = new Set<string>();
  const out: BindingAttempt[] = [];
  for (const b of bindings) {
    // A 409 the front did not inject is the server refusing a pod that got its node meanwhile.
    const second = b.alreadyBound || (b.injected === null && b.status === 409);
    if (second && !unanswered.has(b.pod)) out.push(b);
    if (b.status === 0) unanswered.add(b.pod);
  }
  return out;
}

/** A small seeded generator, so that fault draws do not depend on Math.random. */
export const seeded = seededRandom;

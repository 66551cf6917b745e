/**
 * YuniKorn's `/ws/v1` read API (../shared/specs/rest-api.md) over the core's read models: each route
 * checks what the request names (params.ts), looks it up, and answers with the read model's DAO or
 * YuniKorn's error document (400 for a malformed name or query, 404 for an unknown partition, queue,
 * application, node, user or group). The read models do the work; this file only routes.
 */
import express from 'express';
import type { Request, Router } from 'express';
import { loadConfig } from '../../core/config/load.js';
import type { ConfigIssue } from '../../core/config/issues.js';
import {
  ACTIVE_APPLICATION_STATES,
  APPLICATION_FILTERS,
  applicationView,
  applicationsView,
  clustersView,
  groupUsageView,
  groupsUsageView,
  nodeUtilizationsView,
  nodeView,
  nodesView,
  partitionsView,
  placementRulesView,
  queueApplicationView,
  queueApplicationsView,
  queueView,
  queuesView,
  userUsageView,
  usersUsageView,
} from '../../core/readmodel/index.js';
import type { ApplicationFilter } from '../../core/readmodel/index.js';
import { ns } from '../../core/readmodel/json.js';
import type { Partition } from '../../core/scheduler/partition.js';
import { configDocument, configYaml } from './config-view.js';
import { coreHealth, healthDao } from './health.js';
import type { Health } from './health.js';
import { badRequest, fail, notFound, ok, sendAnswer, sendJson } from './http.js';
import type { Answer } from './http.js';
import type { LiveState } from './live.js';
import { APPLICATION_NOT_FOUND, GROUP_NOT_FOUND, NODE_NOT_FOUND, QUEUE_NOT_FOUND, USER_NOT_FOUND, groupName, partitionOf, pathParam, present, queryFlag, queryValue, queuePath, userName } from './params.js';

export interface WsV1Deps {
  readonly live: LiveState;
  /** The resource manager's id (YuniKorn's Kubernetes shim reports `mycluster`). */
  readonly clusterId: string;
  readonly buildInfo: Readonly<Record<string, string>>;
  readonly health?: () => Health;
  /** Largest queues.yaml `validate-conf` reads. */
  readonly bodyLimitBytes?: number;
}

type PartitionHandler = (p: Partition, req: Request) => Answer<unknown>;

const ANSWERS_FOR_FILTER = APPLICATION_FILTERS.join(', ');
const ACTIVE_STATUSES = ACTIVE_APPLICATION_STATES.map((s) => s.toLowerCase());

function formatIssue(i: ConfigIssue): string {
  const where = i.line === null ? '' : `line ${i.line}:${i.column ?? 1}: `;
  return `${where}${i.code} at ${i.path === '' ? '(document)' : i.path}: ${i.message}`;
}

export function wsV1Router(d: WsV1Deps): Router {
  const s = d.live.scheduler;
  const router = express.Router();

  const get = (path: string, handler: (req: Request) => Answer<unknown>): void => {
    router.get(path, (req, res) => sendAnswer(res, handler(req)));
  };
  const inPartition = (path: string, handler: PartitionHandler): void => {
    get(`/ws/v1/partition/:partition${path}`, (req) => {
      const p = partitionOf(s, pathParam(req.params, 'partition'));
      return p.ok ? handler(p.value, req) : fail(p.error);
    });
  };
  /** The queue path of the request, checked; then the handler with the path as given. */
  const withQueue = (handler: (p: Partition, path: string, req: Request) => Answer<unknown>): PartitionHandler => (p, req) => {
    const q = queuePath(pathParam(req.params, 'queue'));
    return q.ok ? handler(p, q.value, req) : fail(q.error);
  };
  const queueMissing = (path: string) => fail(notFound(QUEUE_NOT_FOUND, `queue ${path} does not exist`));

  get('/ws/v1/clusters', () => ok(clustersView(s, [d.buildInfo])));
  get('/ws/v1/partitions', () => ok(partitionsView(s, d.clusterId)));

  inPartition('/queues', (p) => ok(queuesView(p)));
  inPartition(
    '/queue/:queue',
    withQueue((p, path, req) => {
      const view = queueView(p, path, { subtree: queryFlag(req.query, 'subtree') });
      return view === null ? queueMissing(path) : ok(view);
    }),
  );
  inPartition(
    '/queue/:queue/applications',
    withQueue((p, path) => {
      const apps = queueApplicationsView(p, path);
      return apps === null ? queueMissing(path) : ok(apps);
    }),
  );
  inPartition(
    '/queue/:queue/application/:application',
    withQueue((p, path, req) => {
      const id = present('application id', pathParam(req.params, 'application'));
      if (!id.ok) return fail(id.error);
      if (p.tree.get(path) === undefined) return queueMissing(path);
      const app = queueApplicationView(p, path, id.value);
      return app === null ? fail(notFound(APPLICATION_NOT_FOUND, `queue ${path} holds no active application ${id.value}`)) : ok(app);
    }),
  );
  inPartition('/application/:application', (p, req) => {
    const id = present('application id', pathParam(req.params, 'application'));
    if (!id.ok) return fail(id.error);
    const app = applicationView(p, id.value);
    return app === null ? fail(notFound(APPLICATION_NOT_FOUND, `application ${id.value} does not exist in partition ${p.name}`)) : ok(app);
  });
  inPartition('/applications/:state', (p, req) => {
    const state = (pathParam(req.params, 'state') ?? '').toLowerCase();
    const filter = APPLICATION_FILTERS.find((f): f is ApplicationFilter => f === state);
    if (filter === undefined) return fail(badRequest('Invalid application state', `only these application states are allowed: ${ANSWERS_FOR_FILTER}`));
    const status = queryValue(req.query, 'status');
    if (!status.ok) return fail(status.error);
    if (filter === 'active' && status.value !== undefined && !ACTIVE_STATUSES.includes(status.value.toLowerCase())) {
      return fail(badRequest('Invalid application status', `only these active statuses are allowed: ${ACTIVE_STATUSES.join(', ')}`));
    }
    return ok(applicationsView(p, filter, filter === 'active' ? status.value : undefined));
  });
  inPartition('/nodes', (p) => ok(nodesView(p)));
  inPartition('/node/:node', (p, req) => {
    const id = present('node id', pathParam(req.params, 'node'));
    if (!id.ok) return fail(id.error);
    const node = nodeView(p, id.value);
    return node === null ? fail(notFound(NODE_NOT_FOUND, `node ${id.value} does not exist in partition ${p.name}`)) : ok(node);
  });
  inPartition('/placementrules', (p) => ok(placementRulesView(p)));
  inPartition('/usage/users', (p) => ok(usersUsageView(p)));
  inPartition('/usage/user/:user', (p, req) => {
    const user = userName(pathParam(req.params, 'user'));
    if (!user.ok) return fail(user.error);
    const usage = userUsageView(p, user.value);
    return usage === null ? fail(notFound(USER_NOT_FOUND, `user ${user.value} has nothing running or in use in partition ${p.name}`)) : ok(usage);
  });
  inPartition('/usage/groups', (p) => ok(groupsUsageView(p)));
  inPartition('/usage/group/:group', (p, req) => {
    const group = groupName(pathParam(req.params, 'group'));
    if (!group.ok) return fail(group.error);
    const usage = groupUsageView(p, group.value);
    return usage === null ? fail(notFound(GROUP_NOT_FOUND, `group ${group.value} has nothing running or in use in partition ${p.name}`)) : ok(usage);
  });

  get('/ws/v1/scheduler/node-utilizations', () => ok(nodeUtilizationsView(s, d.clusterId)));
  get('/ws/v1/scheduler/healthcheck', () => ok(healthDao(d.health?.() ?? coreHealth(s))));
  get('/ws/v1/history/apps', () => ok(d.live.historySamples().map((h) => ({ timestamp: h.timestamp, totalApplications: String(h.totalApplications) }))));
  get('/ws/v1/history/containers', () => ok(d.live.historySamples().map((h) => ({ timestamp: h.timestamp, totalContainers: String(h.totalContainers) }))));

  router.get('/ws/v1/config', (req, res) => {
    // YuniKorn answers JSON only to an Accept of application/json; YAML otherwise.
    if ((req.headers.accept ?? '').includes('application/json')) {
      sendJson(res, configDocument(s.config(), 'json'));
      return;
    }
    const text = configYaml(s.config());
    res.setHeader('Content-Type', 'application/x-yaml; charset=UTF-8');
    res.setHeader('Content-Length', Buffer.byteLength(text));
    res.end(text);
  });

  // The body is queues.yaml, whatever the client calls its type (curl --data-binary says form data).
  router.post('/ws/v1/validate-conf', express.text({ type: () => true, limit: d.bodyLimitBytes ?? 16 * 2 ** 20 }), (req, res) => {
    const body: unknown = req.body;
    const loaded = loadConfig(typeof body === 'string' ? body : '');
    const errors = loaded.issues.filter((i) => i.severity === 'error');
    sendJson(res, loaded.ok ? { allowed: true } : { allowed: false, reason: errors.map(formatIssue).join('; ') });
  });

  get('/debug/fullstatedump', () => {
    const partitions = s.partitions();
    const history = d.live.historySamples();
    return ok({
      timestamp: ns(partitions[0]?.now() ?? Date.now()),
      partitions: partitionsView(s, d.clusterId),
      applications: partitions.flatMap((p) => APPLICATION_FILTERS.flatMap((f) => applicationsView(p, f))),
      appHistory: history.map((h) => ({ timestamp: h.timestamp, totalApplications: String(h.totalApplications) })),
      nodes: partitions.map((p) => ({ partitionName: p.name, nodesInfo: nodesView(p) })),
      nodesUtils: nodeUtilizationsView(s, d.clusterId),
      clusterInfo: clustersView(s, [d.buildInfo]),
      containerHistory: history.map((h) => ({ timestamp: h.timestamp, totalContainers: String(h.totalContainers) })),
      queues: partitions.map((p) => queuesView(p)),
      rmDiagnostics: {},
      logLevel: 'info',
      config: configDocument(s.config(), 'json'),
      placementRules: partitions.map((p) => ({ partition: p.name, rules: placementRulesView(p) })),
      eventStreams: [],
    });
  });

  return router;
}

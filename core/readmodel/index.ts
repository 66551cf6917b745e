/**
 * The core's read models: pure functions from the scheduler's state to plain JSON-ready objects in the
 * shapes of YuniKorn's `/ws/v1` REST API, field names exactly as YuniKorn serves them. The HTTP layer
 * (ui/) validates the request, picks the partition, calls one of these and serialises the answer; null
 * means "not found".
 */
export type * from './dao.js';
export { ACTIVE_APPLICATION_STATES, APPLICATION_FILTERS, applicationView, applicationsView, queueApplicationView, queueApplicationsView } from './applications.js';
export type { ApplicationFilter } from './applications.js';
export { nodeUtilizationsView } from './node-utilization.js';
export { nodeView, nodesView } from './nodes.js';
export { clustersView, partitionsView } from './partitions.js';
export { RECOVERY_QUEUE, placementRulesView } from './placement-rules.js';
export { queueView, queuesView } from './queues.js';
export { groupUsageView, groupsUsageView, userUsageView, usersUsageView } from './usage.js';

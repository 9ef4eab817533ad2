// The read side: pure functions of a QueryContext answering the API's GET requests.
export type { QueryContext } from './query-context.js';
export { listDefinitions, getDefinition } from './definitions.js';
export { listInstances, getInstanceSummary, getInstanceDetails, toProcessInstance } from './instances.js';
export { toCurrentActivity, asyncAfterTokens } from './activities.js';
export { getVariables, variablesByScope, visibleVariables, type VariableMap } from './variables.js';
export { listTasks, getTask, toTaskDetails, OPEN_TASK_STATUSES } from './tasks.js';
export { getExternalTask, listExternalTasks } from './external-tasks.js';
export { listJobs, getJob } from './jobs.js';
export { listIncidents, getIncident } from './incidents.js';
export { listAuditEntries } from './audit-entries.js';
export { statistics, taskStatistics, performance, bottlenecks } from './analytics/index.js';
export { SEVERITY_THRESHOLDS } from './analytics/bottlenecks.js';
export type * from './analytics/types.js';
export { healthCounts, type HealthCounts } from './health.js';
export { workloadGauges } from './gauges.js';
export { MAX_LIMIT, DEFAULT_LIMIT } from './list-query.js';

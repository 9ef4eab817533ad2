// Camunda's historic process instances (`/history/process-instance`) on the engine's instance list, which
// holds ended instances too. Camunda's state filters and `finished`/`unfinished` come down to a set of the
// engine's statuses: one is a filter of the list, several are lists merged in their shared sort.
import { EngineError, type Engine, type InstanceQuery, type ProcessInstance, type ProcessInstanceStatus } from '@dadms/process-engine';
import type { HistoryReads } from './reads.js';
import { listOf, mergedList, noRows, type ListRead, type SortValues } from '../lists.js';
import { singleTenant } from '../camunda-query.js';
import { fromCamundaTime, inclusiveBefore, isSet, present } from './query.js';
import type { HistoryResource } from './resource.js';
import { HISTORIC_PROCESS_INSTANCE } from './schemas.js';
import { camundaDate } from '../typed-values.js';

export interface HistoricInstanceQuery {
  processInstanceId?: string | null;
  processDefinitionId?: string | null;
  processDefinitionKey?: string | null;
  processInstanceBusinessKey?: string | null;
  superProcessInstanceId?: string | null;
  tenantIdIn?: string | string[] | null;
  startedAfter?: string | null;
  startedBefore?: string | null;
  finished?: boolean | null;
  unfinished?: boolean | null;
  active?: boolean | null;
  suspended?: boolean | null;
  completed?: boolean | null;
  externallyTerminated?: boolean | null;
  internallyTerminated?: boolean | null;
}

/** Camunda's filters on historic process instances that the engine's list has no equivalent of */
const UNSUPPORTED_FILTERS = [
  'processInstanceIds', 'processInstanceIdNotIn', 'rootProcessInstanceId', 'processDefinitionName', 'processDefinitionNameLike',
  'processDefinitionKeyIn', 'processDefinitionKeyNotIn', 'processInstanceBusinessKeyIn', 'processInstanceBusinessKeyLike', 'rootProcessInstances',
  'withJobsRetrying', 'withIncidents', 'withRootIncidents', 'incidentType', 'incidentStatus', 'incidentMessage', 'incidentMessageLike', 'incidentIdIn',
  'finishedBefore', 'finishedAfter', 'executedActivityAfter', 'executedActivityBefore', 'executedJobAfter', 'executedJobBefore', 'startedBy',
  'subProcessInstanceId', 'superCaseInstanceId', 'subCaseInstanceId', 'caseInstanceId', 'withoutTenantId', 'executedActivityIdIn',
  'activeActivityIdIn', 'activityIdIn', 'variables', 'variableNamesIgnoreCase', 'variableValuesIgnoreCase', 'orQueries',
] as const;

const STATE: Readonly<Record<ProcessInstanceStatus, string>> = {
  active: 'ACTIVE', suspended: 'SUSPENDED', completed: 'COMPLETED', externally_terminated: 'EXTERNALLY_TERMINATED', terminated: 'INTERNALLY_TERMINATED',
};
const STATE_FILTERS = {
  active: 'active', suspended: 'suspended', completed: 'completed', externallyTerminated: 'externally_terminated', internallyTerminated: 'terminated',
} as const satisfies Readonly<Record<string, ProcessInstanceStatus>>;
const ALL_STATUSES = Object.values(STATE_FILTERS);
const UNFINISHED: readonly ProcessInstanceStatus[] = ['active', 'suspended'];

const time = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));
const SORT_VALUES: SortValues<ProcessInstance> = {
  start_time: (row) => time(row.start_time), end_time: (row) => time(row.end_time), duration: (row) => row.duration,
  business_key: (row) => row.business_key, process_definition_key: (row) => row.process_definition_key,
};
/** Camunda's `sortBy` → the engine's sort field, for one list of the engine's */
const SORTABLE = { startTime: 'start_time', endTime: 'end_time', duration: 'duration', businessKey: 'business_key', definitionKey: 'process_definition_key' };
/** the same for merged lists: text sorts are left out, the database and JavaScript compare text differently */
const MERGE_SORTABLE = { startTime: 'start_time', endTime: 'end_time', duration: 'duration' };
/** with no sort asked, the oldest first, as Camunda's ids give them */
const DEFAULT_SORT = 'start_time';

/** the engine's statuses Camunda's state filters leave */
function statusesOf(query: HistoricInstanceQuery): ProcessInstanceStatus[] {
  const states = Object.entries(STATE_FILTERS).filter(([filter]) => isSet(query[filter as keyof typeof STATE_FILTERS]));
  if (states.length > 1) throw new EngineError('CONFLICT', 'Already querying for historic process instance with another state');
  const statuses: ProcessInstanceStatus[] = states.length ? [states[0]![1]] : ALL_STATUSES;
  return statuses.filter((status) => !(isSet(query.finished) && UNFINISHED.includes(status)) && !(isSet(query.unfinished) && !UNFINISHED.includes(status)));
}

/** the list a query reads, and the sorts it can give */
function historicInstanceList(engine: Engine, reads: HistoryReads, query: HistoricInstanceQuery): { list: ListRead<ProcessInstance>; sortable: Record<string, string> } {
  const statuses = statusesOf(query);
  const startedAfter = fromCamundaTime('startedAfter', query.startedAfter);
  const startedBefore = fromCamundaTime('startedBefore', query.startedBefore);
  const filters: InstanceQuery = {
    process_definition_key: present(query.processDefinitionKey), process_definition_id: present(query.processDefinitionId),
    business_key: present(query.processInstanceBusinessKey), super_instance_id: present(query.superProcessInstanceId),
    tenant_id: singleTenant(query.tenantIdIn), started_after: startedAfter, started_before: inclusiveBefore(startedBefore),
  };
  if (statuses.length === 0) return { list: noRows, sortable: SORTABLE };
  if (query.processInstanceId != null) {
    const matches = (row: ProcessInstance) => statuses.includes(row.status) && (startedAfter === undefined || row.start_time >= startedAfter)
      && (startedBefore === undefined || row.start_time <= startedBefore)
      && (['process_definition_key', 'process_definition_id', 'business_key', 'super_instance_id', 'tenant_id'] as const)
        .every((field) => filters[field] === undefined || row[field] === filters[field]);
    const id = query.processInstanceId;
    return {
      list: async (page) => listOf([await reads.instanceIfAny(id)].filter((row) => row !== undefined).filter(matches), SORT_VALUES)(page),
      sortable: SORTABLE,
    };
  }
  const read = (status?: ProcessInstanceStatus): ListRead<ProcessInstance> => ({ sort = DEFAULT_SORT, ...page }) =>
    engine.listInstances({ ...filters, ...page, sort, ...(status ? { status } : {}) });
  if (statuses.length === ALL_STATUSES.length || statuses.length === 1) return { list: read(statuses.length === 1 ? statuses[0] : undefined), sortable: SORTABLE };
  return {
    list: ({ sort = DEFAULT_SORT, ...page }) => mergedList(statuses.map(read), SORT_VALUES, sort)(page),
    sortable: MERGE_SORTABLE,
  };
}

/** the instance as Camunda's HistoricProcessInstanceDto */
export async function historicInstance(reads: HistoryReads, instance: ProcessInstance) {
  const [details, definition, root] = await Promise.all([
    reads.instance(instance.id), reads.definition(instance.process_definition_id), reads.root(instance.id),
  ]);
  return {
    id: instance.id,
    businessKey: instance.business_key ?? null,
    processDefinitionId: instance.process_definition_id,
    processDefinitionKey: instance.process_definition_key,
    processDefinitionName: instance.process_definition_name || null,
    processDefinitionVersion: definition.version,
    startTime: camundaDate(instance.start_time),
    endTime: instance.end_time ? camundaDate(instance.end_time) : null,
    removalTime: root?.removal_time ? camundaDate(root.removal_time) : null,
    durationInMillis: instance.duration ?? null,
    startUserId: instance.started_by || null,
    startActivityId: details.activities[0]?.activity_id ?? null,
    deleteReason: details.delete_reason ?? null,
    rootProcessInstanceId: root?.id ?? null,
    superProcessInstanceId: instance.super_instance_id ?? null,
    superCaseInstanceId: null,
    caseInstanceId: null,
    tenantId: instance.tenant_id ?? null,
    state: STATE[instance.status],
  };
}

export const instanceHistory: HistoryResource<HistoricInstanceQuery, ProcessInstance> = {
  path: '/process-instance', permission: 'instances:read', post: true,
  what: 'historic process instance',
  about: 'As Camunda 7\'s `/history/process-instance`: instances running and ended, with their `state` (`INTERNALLY_TERMINATED` for an instance ' +
    'ended because the call activity that called it was). `tenantIdIn` takes one tenant. `sortBy` startTime, endTime, duration, businessKey or ' +
    'definitionKey; a query of several states (`finished`, `unfinished` or none) sorts by times and duration only. Other filters are a 400.',
  filters: {
    served: {
      processInstanceId: 'string', processDefinitionId: 'string', processDefinitionKey: 'string', processInstanceBusinessKey: 'string',
      superProcessInstanceId: 'string', tenantIdIn: 'list', startedAfter: 'time', startedBefore: 'time', finished: 'boolean', unfinished: 'boolean',
      active: 'boolean', suspended: 'boolean', completed: 'boolean', externallyTerminated: 'boolean', internallyTerminated: 'boolean',
    },
    unsupported: UNSUPPORTED_FILTERS,
  },
  fields: HISTORIC_PROCESS_INSTANCE,
  rows: historicInstanceList,
  answer: historicInstance,
};

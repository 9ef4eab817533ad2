// Camunda 7's external task query, as `GET /external-task` sends it in the query string (lists
// comma-separated) and `POST /external-task` in the body, on the engine's external task list. Camunda's
// flags filter only when true, and two that exclude each other (`locked` and `notLocked`, `withRetriesLeft`
// and `noRetriesLeft`, `active` and `suspended`) match nothing together, as Camunda's query does; a filter
// the engine does not have is a 400 naming it.
import type { Engine, ExternalTask, ExternalTaskQuery, Page, PageQuery } from '@dadms/process-engine';
import { given, listFilter } from './camunda-query.js';
import { noRows } from './lists.js';
import { camundaCount, camundaList, type CamundaPaging } from './paging.js';
import { refuseUnsupported } from './unsupported-options.js';

type Flag = boolean | null | undefined;

export interface CamundaExternalTaskQuery {
  externalTaskId?: string | null;
  externalTaskIdIn?: string | string[] | null;
  topicName?: string | null;
  workerId?: string | null;
  locked?: Flag;
  notLocked?: Flag;
  withRetriesLeft?: Flag;
  noRetriesLeft?: Flag;
  active?: Flag;
  suspended?: Flag;
  processInstanceId?: string | null;
  processDefinitionId?: string | null;
  processDefinitionKey?: string | null;
  activityId?: string | null;
  tenantIdIn?: string | string[] | null;
}

/** Camunda's filters that the engine's external task list does not have */
export const REFUSED_EXTERNAL_TASK_FILTERS = [
  'activityIdIn', 'lockExpirationBefore', 'lockExpirationAfter', 'executionId', 'processInstanceIdIn', 'processDefinitionKeyIn',
  'processDefinitionName', 'processDefinitionNameLike', 'priorityHigherThanOrEquals', 'priorityLowerThanOrEquals', 'processVariables',
  'variableNamesIgnoreCase', 'variableValuesIgnoreCase',
] as const;

/** Camunda's `sortBy` values → the engine's sort fields: all of Camunda's */
const SORTABLE: Readonly<Record<string, string>> = {
  id: 'id', lockExpirationTime: 'lock_expiration_time', processInstanceId: 'process_instance_id', processDefinitionId: 'process_definition_id',
  processDefinitionKey: 'process_definition_key', tenantId: 'tenant_id', taskPriority: 'priority', createTime: 'created_at',
};

/** two flags of Camunda's as one filter of the engine's: true, false, no filter, or null when both are set */
function eitherOf(yes: Flag, no: Flag): boolean | undefined | null {
  if (yes === true && no === true) return null;
  return yes === true ? true : no === true ? false : undefined;
}

/** the ids both `externalTaskId` and `externalTaskIdIn` allow; null when they allow none */
function idsOf(query: CamundaExternalTaskQuery): string[] | undefined | null {
  const listed = listFilter(query.externalTaskIdIn)?.filter((id) => id !== '');
  const one = query.externalTaskId ?? undefined;
  if (one === undefined) return listed?.length ? listed : undefined;
  return !listed?.length || listed.includes(one) ? [one] : null;
}

function listing(engine: Engine, query: CamundaExternalTaskQuery): (page: PageQuery) => Promise<Page<ExternalTask>> {
  refuseUnsupported(query, REFUSED_EXTERNAL_TASK_FILTERS);
  const locked = eitherOf(query.locked, query.notLocked);
  const failed = eitherOf(query.noRetriesLeft, query.withRetriesLeft);
  const suspended = eitherOf(query.suspended, query.active);
  const ids = idsOf(query);
  if (locked === null || failed === null || suspended === null || ids === null) return noRows;
  const filters = given<ExternalTaskQuery>({
    ids, locked, failed, suspended, topic_name: query.topicName, worker_id: query.workerId, process_instance_id: query.processInstanceId,
    process_definition_id: query.processDefinitionId, process_definition_key: query.processDefinitionKey, activity_id: query.activityId,
    tenant_ids: listFilter(query.tenantIdIn),
  });
  return (page) => engine.listExternalTasks({ ...filters, ...page });
}

export const externalTaskPage = (engine: Engine, query: CamundaExternalTaskQuery, paging: CamundaPaging): Promise<ExternalTask[]> =>
  camundaList(paging, SORTABLE, listing(engine, query));

export const externalTaskCount = (engine: Engine, query: CamundaExternalTaskQuery): Promise<{ count: number }> =>
  camundaCount(listing(engine, query));

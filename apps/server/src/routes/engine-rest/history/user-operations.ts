// Camunda 7's user operation log (`/history/user-operation`) on the engine's audit log: what users did to
// instances, tasks, variables, incidents, external tasks, definitions and deployments. The engine keeps no
// operation id that groups the entries of one operation, so each entry's own id stands for it.
import type { AuditEntryQuery, Engine, ListedAuditEntry } from '@dadms/process-engine';
import { listFilter } from '../camunda-query.js';
import type { ListRead } from '../lists.js';
import { camundaDate } from '../typed-values.js';
import { fromCamundaTime, present } from './query.js';
import type { HistoryReads } from './reads.js';
import type { HistoryResource } from './resource.js';
import type { FieldType } from './schemas.js';

export interface UserOperationQuery {
  processInstanceId?: string | null;
  processDefinitionId?: string | null;
  processDefinitionKey?: string | null;
  taskId?: string | null;
  executionId?: string | null;
  userId?: string | null;
  operationId?: string | null;
  operationType?: string | null;
  entityType?: string | null;
  entityTypeIn?: string | null;
  category?: string | null;
  categoryIn?: string | null;
  property?: string | null;
  afterTimestamp?: string | null;
  beforeTimestamp?: string | null;
}

const UNSUPPORTED_FILTERS = [
  'deploymentId', 'caseDefinitionId', 'caseInstanceId', 'caseExecutionId', 'jobId', 'jobDefinitionId', 'batchId', 'externalTaskId',
] as const;

const SORTABLE = { timestamp: 'timestamp' };

const USER_OPERATION_LOG_ENTRY: Readonly<Record<string, FieldType>> = {
  id: 'string', deploymentId: 'string', processDefinitionId: 'string', processDefinitionKey: 'string', processInstanceId: 'string',
  executionId: 'string', caseDefinitionId: 'string', caseInstanceId: 'string', caseExecutionId: 'string', taskId: 'string', jobId: 'string',
  jobDefinitionId: 'string', batchId: 'string', userId: 'string', timestamp: 'date', operationId: 'string', externalTaskId: 'string',
  operationType: 'string', entityType: 'string', property: 'string', orgValue: 'string', newValue: 'string', removalTime: 'date',
  rootProcessInstanceId: 'string', category: 'string', annotation: 'string',
};

/** Camunda applies a value and a list of the same field both: the values that are in each */
function anyOf(value: string | null | undefined, list: string | null | undefined): string[] | undefined {
  const values = listFilter(present(list));
  if (value == null) return values;
  return values === undefined || values.includes(value) ? [value] : [];
}

function userOperationList(engine: Engine, query: UserOperationQuery): ListRead<ListedAuditEntry> {
  const filters: AuditEntryQuery = {
    id: present(query.operationId), process_instance_id: present(query.processInstanceId),
    process_definition_id: present(query.processDefinitionId), process_definition_key: present(query.processDefinitionKey),
    task_id: present(query.taskId), execution_id: present(query.executionId), user_id: present(query.userId),
    operation: present(query.operationType), property: present(query.property),
    entity_types: anyOf(query.entityType, query.entityTypeIn), categories: anyOf(query.category, query.categoryIn),
    after: fromCamundaTime('afterTimestamp', query.afterTimestamp), before: fromCamundaTime('beforeTimestamp', query.beforeTimestamp),
  };
  return (page) => engine.listAuditEntries({ ...filters, ...page });
}

/** the entry as Camunda's UserOperationLogEntryDto */
async function userOperation(reads: HistoryReads, entry: ListedAuditEntry) {
  const instance = entry.process_instance_id ? await reads.instanceIfAny(entry.process_instance_id) : undefined;
  const root = instance ? await reads.root(instance.id) : undefined;
  return {
    id: entry.id, deploymentId: null, processDefinitionId: entry.process_definition_id ?? null,
    processDefinitionKey: entry.process_definition_key ?? null, processInstanceId: entry.process_instance_id ?? null,
    executionId: entry.execution_id ?? null, caseDefinitionId: null, caseInstanceId: null, caseExecutionId: null, taskId: entry.task_id ?? null,
    jobId: null, jobDefinitionId: null, batchId: null, userId: entry.user_id ?? null, timestamp: camundaDate(entry.timestamp),
    operationId: entry.id, externalTaskId: null, operationType: entry.operation, entityType: entry.entity_type, property: entry.property ?? null,
    orgValue: entry.org_value ?? null, newValue: entry.new_value ?? null,
    removalTime: entry.removal_time ? camundaDate(entry.removal_time) : null, rootProcessInstanceId: root?.id ?? null,
    category: entry.category, annotation: null,
  };
}

export const userOperationHistory: HistoryResource<UserOperationQuery, ListedAuditEntry> = {
  path: '/user-operation', permission: 'instances:read', post: false,
  what: 'user operation log entry',
  about: 'As Camunda 7\'s `/history/user-operation`: the audit log of the instances and definitions the caller may read, ' +
    'oldest first, or by `sortBy` timestamp. Each entry is an operation of its own: its `operationId` is its `id`. Other filters are a 400.',
  filters: {
    served: {
      processInstanceId: 'string', processDefinitionId: 'string', processDefinitionKey: 'string', taskId: 'string', executionId: 'string',
      userId: 'string', operationId: 'string', operationType: 'string', entityType: 'string', entityTypeIn: 'list', category: 'string',
      categoryIn: 'list', property: 'string', afterTimestamp: 'time', beforeTimestamp: 'time',
    },
    unsupported: UNSUPPORTED_FILTERS,
  },
  fields: USER_OPERATION_LOG_ENTRY,
  rows: (engine, _reads, query) => ({ list: userOperationList(engine, query), sortable: SORTABLE }),
  answer: userOperation,
};

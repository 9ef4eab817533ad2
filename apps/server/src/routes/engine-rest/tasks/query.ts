// Camunda 7's task query, as `GET /task` sends it in the query string (lists as comma-separated text) and
// `POST /task` in the body, turned into the engine's TaskQuery. The engine filters by one value of each
// kind, so Camunda's lists of values pass with one value; every other filter of Camunda's is refused by
// name. Camunda's candidate filters leave out tasks someone has already claimed unless
// `includeAssignedTasks` is set, and so do they here.
import { EngineError, type TaskQuery } from '@dadms/process-engine';
import { onlyValue, postedSort, type PostedSorting } from '../camunda-query.js';
import type { CamundaPaging } from '../paging.js';
import { refuseUnsupported } from '../unsupported-options.js';

/** Camunda's `sortBy` values the engine sorts by → its sort fields */
export const TASK_SORTS: Readonly<Record<string, string>> = {
  created: 'created', dueDate: 'due', followUpDate: 'follow_up', priority: 'priority', name: 'name', assignee: 'assignee',
};

type EngineFilter = 'process_instance_id' | 'process_definition_key' | 'task_definition_key' | 'assignee' | 'candidate_user' | 'candidate_group' | 'tenant_id';

/** Camunda's filters of one value, and those of a list (served when the list holds one value) */
const FILTERS: Readonly<Record<string, EngineFilter>> = {
  processInstanceId: 'process_instance_id', processInstanceIdIn: 'process_instance_id',
  processDefinitionKey: 'process_definition_key', processDefinitionKeyIn: 'process_definition_key',
  taskDefinitionKey: 'task_definition_key', taskDefinitionKeyIn: 'task_definition_key',
  assignee: 'assignee', assigneeIn: 'assignee',
  candidateUser: 'candidate_user', candidateGroup: 'candidate_group', candidateGroups: 'candidate_group',
  tenantIdIn: 'tenant_id',
};
const LISTS = new Set(['processInstanceIdIn', 'processDefinitionKeyIn', 'taskDefinitionKeyIn', 'assigneeIn', 'candidateGroups', 'tenantIdIn']);

/** what a query may hold besides those filters: filters of another kind, and how the tasks are answered */
const OPTIONS = new Set(['unassigned', 'includeAssignedTasks', 'dueBefore', 'delegationState', 'withTaskVariablesInReturn', 'withCommentAttachmentInfo']);

/** Camunda's date parameters: `2024-01-31T10:00:00.000+0100` */
const CAMUNDA_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?(Z|[+-]\d\d:?\d\d)$/;

export interface CamundaTaskQuery {
  unassigned?: boolean | null;
  includeAssignedTasks?: boolean | null;
  dueBefore?: string | null;
  delegationState?: string | null;
  withTaskVariablesInReturn?: boolean | null;
  withCommentAttachmentInfo?: boolean | null;
  [filter: string]: unknown;
}

/** a `POST /task` body: the query, and its sort */
export type PostedTaskQuery = CamundaTaskQuery & PostedSorting;

/** the engine's query for Camunda's, without paging; what the engine cannot filter by is a 400 naming it */
export function engineTaskQuery(query: CamundaTaskQuery): TaskQuery {
  refuseUnsupported(query, Object.keys(query).filter((name) => !Object.hasOwn(FILTERS, name) && !OPTIONS.has(name)));
  const engine: TaskQuery = {};
  for (const [name, field] of Object.entries(FILTERS)) {
    const value = LISTS.has(name) ? onlyValue(name, query[name]) : query[name];
    if (value === undefined || value === null || value === '') continue;
    if (engine[field] !== undefined && engine[field] !== value) {
      throw new EngineError('VALIDATION_ERROR', `${name} '${String(value)}' contradicts another filter of the same kind: this engine filters by one value of each`);
    }
    engine[field] = String(value);
  }
  if (engine.candidate_user !== undefined && engine.candidate_group !== undefined) {
    throw new EngineError('VALIDATION_ERROR', 'Invalid query usage: cannot set both candidateUser and candidateGroup');
  }
  const byCandidate = engine.candidate_user !== undefined || engine.candidate_group !== undefined;
  if (query.unassigned === true || (byCandidate && query.includeAssignedTasks !== true)) engine.unassigned = true;
  if (query.dueBefore != null) engine.due_before = camundaDateParam('dueBefore', query.dueBefore);
  if (query.delegationState != null) {
    if (query.delegationState !== 'PENDING') throw new EngineError('VALIDATION_ERROR', `delegationState '${query.delegationState}' is not supported by this engine`);
    engine.status = 'delegated';
  }
  return engine;
}

function camundaDateParam(name: string, value: string): string {
  const time = CAMUNDA_DATE.test(value) ? new Date(value) : undefined;
  if (!time || Number.isNaN(time.getTime())) throw new EngineError('VALIDATION_ERROR', `Cannot set query parameter '${name}' to value '${value}'`);
  return time.toISOString();
}

/** the filters of a `POST /task` body apart from its sort */
export function postedQuery({ sorting, sortBy, sortOrder, ...filters }: PostedTaskQuery): { filters: CamundaTaskQuery; sort: CamundaPaging } {
  return { filters, sort: postedSort({ sorting, sortBy, sortOrder }) };
}

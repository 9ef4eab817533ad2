// Camunda's historic task instances (`/history/task`) on the engine's task list, which keeps completed and
// cancelled tasks beside the open ones: the open ones are its default list, the ended ones each a status
// of theirs, and a query of several is their lists merged. When a task ended, in which activity instance
// and execution it ran, its instance's activity history tells.
import type { Engine, Task, TaskQuery, TaskStatus } from '@dadms/process-engine';
import type { HistoryReads } from './reads.js';
import { mergedList, noRows, type ListRead, type SortValues } from '../lists.js';
import { singleTenant } from '../camunda-query.js';
import { fromCamundaTime, isSet, present } from './query.js';
import type { HistoryResource } from './resource.js';
import { HISTORIC_TASK_INSTANCE } from './schemas.js';
import { camundaDate } from '../typed-values.js';

export interface HistoricTaskQuery {
  processInstanceId?: string | null;
  processDefinitionKey?: string | null;
  taskDefinitionKey?: string | null;
  taskAssignee?: string | null;
  unassigned?: boolean | null;
  taskDueDateBefore?: string | null;
  tenantIdIn?: string | string[] | null;
  finished?: boolean | null;
  unfinished?: boolean | null;
}

const UNSUPPORTED_FILTERS = [
  'taskId', 'taskParentTaskId', 'rootProcessInstanceId', 'processInstanceBusinessKey', 'processInstanceBusinessKeyIn',
  'processInstanceBusinessKeyLike', 'executionId', 'activityInstanceIdIn', 'processDefinitionId', 'processDefinitionName', 'taskName', 'taskNameLike',
  'taskDescription', 'taskDescriptionLike', 'taskDefinitionKeyIn', 'taskDeleteReason', 'taskDeleteReasonLike', 'assigned', 'taskAssigneeLike',
  'taskOwner', 'taskOwnerLike', 'taskPriority', 'processFinished', 'processUnfinished', 'taskDueDate', 'taskDueDateAfter', 'withoutTaskDueDate',
  'taskFollowUpDate', 'taskFollowUpDateBefore', 'taskFollowUpDateAfter', 'taskVariables', 'processVariables', 'variableValuesIgnoreCase',
  'variableNamesIgnoreCase', 'caseDefinitionId', 'caseDefinitionKey', 'caseDefinitionName', 'caseInstanceId', 'caseExecutionId', 'withoutTenantId',
  'taskInvolvedUser', 'taskInvolvedGroup', 'taskHadCandidateUser', 'taskHadCandidateGroup', 'withCandidateGroups', 'withoutCandidateGroups',
  'startedBefore', 'startedAfter', 'finishedBefore', 'finishedAfter', 'orQueries',
] as const;

/** the engine's lists of tasks: its default one, of the open tasks, and one per way a task ends */
const OPEN = undefined;
const ENDED: readonly TaskStatus[] = ['completed', 'cancelled'];

const time = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));
const SORT_VALUES: SortValues<Task> = {
  created: (row) => time(row.created), due: (row) => time(row.due), follow_up: (row) => time(row.follow_up), priority: (row) => row.priority,
};
const SORTABLE = {
  startTime: 'created', dueDate: 'due', followUpDate: 'follow_up', priority: 'priority', taskName: 'name', assignee: 'assignee', taskDefinitionKey: 'task_definition_key',
};
/** merged lists sort by numbers and times only: the database and JavaScript compare text differently */
const MERGE_SORTABLE = { startTime: 'created', dueDate: 'due', followUpDate: 'follow_up', priority: 'priority' };
const DEFAULT_SORT = 'created';

/** the list a query reads, and the sorts it can give */
function historicTaskList(engine: Engine, query: HistoricTaskQuery): { list: ListRead<Task>; sortable: Record<string, string> } {
  const filters: TaskQuery = {
    process_instance_id: present(query.processInstanceId), process_definition_key: present(query.processDefinitionKey),
    task_definition_key: present(query.taskDefinitionKey), assignee: present(query.taskAssignee), tenant_id: singleTenant(query.tenantIdIn),
    due_before: fromCamundaTime('taskDueDateBefore', query.taskDueDateBefore), ...(isSet(query.unassigned) ? { unassigned: true } : {}),
  };
  const read = (status: TaskStatus | undefined): ListRead<Task> => ({ sort = DEFAULT_SORT, ...page }) =>
    engine.listTasks({ ...filters, ...page, sort, ...(status ? { status } : {}) });
  if (isSet(query.finished) && isSet(query.unfinished)) return { list: noRows, sortable: SORTABLE };
  if (isSet(query.unfinished)) return { list: read(OPEN), sortable: SORTABLE };
  const statuses = isSet(query.finished) ? ENDED : [OPEN, ...ENDED];
  return { list: ({ sort = DEFAULT_SORT, ...page }) => mergedList(statuses.map(read), SORT_VALUES, sort)(page), sortable: MERGE_SORTABLE };
}

const TASK_STATE: Readonly<Record<TaskStatus, string>> = {
  created: 'Created', assigned: 'Created', delegated: 'Created', pending: 'Created', completed: 'Completed', cancelled: 'Deleted',
};
const DELETE_REASON: Partial<Record<TaskStatus, string>> = { completed: 'completed', cancelled: 'deleted' };

/** the task as Camunda's HistoricTaskInstanceDto */
async function historicTask(reads: HistoryReads, task: Task) {
  const [instance, root] = await Promise.all([reads.instance(task.process_instance_id), reads.root(task.process_instance_id)]);
  const activity = instance.activities.find((a) => a.task_id === task.id);
  const ended = DELETE_REASON[task.status] !== undefined;
  const endTime = ended ? activity?.end_time : undefined;
  // an open task someone claimed, assigned or delegated since it was created is `Updated`, as the audit trail tells
  const updated = !ended && instance.audit_trail.some((entry) => entry.task_id === task.id);
  return {
    id: task.id,
    processDefinitionKey: task.process_definition_key,
    processDefinitionId: task.process_definition_id,
    processInstanceId: task.process_instance_id,
    executionId: activity?.execution_id ?? null,
    caseDefinitionKey: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    activityInstanceId: activity?.id ?? null,
    name: task.name || null,
    description: task.description ?? null,
    deleteReason: DELETE_REASON[task.status] ?? null,
    owner: task.owner ?? null,
    assignee: task.assignee ?? null,
    startTime: camundaDate(task.created),
    endTime: endTime ? camundaDate(endTime) : null,
    duration: endTime ? Date.parse(endTime) - Date.parse(task.created) : null,
    taskDefinitionKey: task.task_definition_key,
    priority: task.priority,
    due: task.due ? camundaDate(task.due) : null,
    parentTaskId: null,
    followUp: task.follow_up ? camundaDate(task.follow_up) : null,
    tenantId: task.tenant_id ?? null,
    removalTime: root?.removal_time ? camundaDate(root.removal_time) : null,
    rootProcessInstanceId: root?.id ?? null,
    taskState: updated ? 'Updated' : TASK_STATE[task.status],
  };
}

export const taskHistory: HistoryResource<HistoricTaskQuery, Task> = {
  path: '/task', permission: 'tasks:read', post: true,
  what: 'historic task instance',
  about: 'As Camunda 7\'s `/history/task`: user tasks open, completed (`taskState` Completed) and cancelled (Deleted). `tenantIdIn` takes one ' +
    'tenant. `sortBy` startTime, dueDate, followUpDate, priority, and with `unfinished` also taskName, assignee, taskDefinitionKey. Other filters are a 400.',
  filters: {
    served: {
      processInstanceId: 'string', processDefinitionKey: 'string', taskDefinitionKey: 'string', taskAssignee: 'string', unassigned: 'boolean',
      taskDueDateBefore: 'time', tenantIdIn: 'list', finished: 'boolean', unfinished: 'boolean',
    },
    unsupported: UNSUPPORTED_FILTERS,
  },
  fields: HISTORIC_TASK_INSTANCE,
  rows: (engine, _reads, query) => historicTaskList(engine, query),
  answer: historicTask,
};

// User tasks as Camunda 7's REST API writes them: TaskDto (with its variables or its attachment and
// comment flags when asked), identity links, FormDto. Fields the engine does not keep (lastUpdated,
// caseInstanceId, taskState, a form's context path) are null.
import type { ProcessVariable, Task, TaskDetails } from '@dadms/process-engine';
import { camundaDate, toCamundaVariables, type CamundaTypedValue } from '../typed-values.js';

/** what a task answer may carry besides TaskDto, as Camunda's list and single-task answers are asked for */
export interface TaskAnswerOptions {
  withTaskVariablesInReturn?: boolean | null;
  withCommentAttachmentInfo?: boolean | null;
}

const dateOrNull = (iso: string | undefined) => (iso === undefined ? null : camundaDate(iso));

/** a task as the engine lists it: its list items carry the details a single task has, which its type does not promise */
type ListedTask = Task & Partial<Omit<TaskDetails, keyof Task>>;

export function camundaTask(task: ListedTask, options: TaskAnswerOptions = {}) {
  const formRef = camundaFormRef(task);
  const variables = options.withTaskVariablesInReturn === true ? camundaVariables(task.variables, true) : {};
  return {
    id: task.id,
    name: task.name,
    assignee: task.assignee ?? null,
    created: camundaDate(task.created),
    due: dateOrNull(task.due),
    followUp: dateOrNull(task.follow_up),
    lastUpdated: null,
    delegationState: task.delegation_state?.toUpperCase() ?? null,
    description: task.description ?? null,
    executionId: task.execution_id ?? null,
    owner: task.owner ?? null,
    parentTaskId: task.parent_task_id ?? null,
    priority: task.priority,
    processDefinitionId: task.process_definition_id,
    processInstanceId: task.process_instance_id,
    taskDefinitionKey: task.task_definition_key,
    caseExecutionId: task.case_execution_id ?? null,
    caseInstanceId: null,
    caseDefinitionId: task.case_definition_id ?? null,
    suspended: task.suspension_state === 'suspended',
    formKey: formRef ? null : task.form_key ?? null,
    camundaFormRef: formRef,
    tenantId: task.tenant_id ?? null,
    taskState: null,
    // Camunda leaves an empty variable map out
    ...(Object.keys(variables).length ? { variables } : {}),
    // the engine keeps no attachments or comments
    ...(options.withCommentAttachmentInfo === true ? { attachment: false, comment: false } : {}),
  };
}

/**
 * A form deployed beside the process (camunda:formRef) is one whose schema the task carries under the id
 * its form key names; its binding is not part of the task, so it is answered as null.
 */
function camundaFormRef(task: ListedTask): { key: string; binding: null; version: null } | null {
  return task.form_key !== undefined && task.form_schema?.id === task.form_key ? { key: task.form_key, binding: null, version: null } : null;
}

/**
 * Variables as Camunda answers them: an Object value deserialized (`deserializeValues`, true by default
 * on Camunda's task endpoints) is the object itself, else its JSON text.
 */
export function camundaVariables(variables: Record<string, ProcessVariable>, deserialize: boolean): Record<string, CamundaTypedValue> {
  const written = toCamundaVariables(variables);
  if (!deserialize) return written;
  return Object.fromEntries(Object.entries(written).map(([name, typed]) => [name, typed.type === 'Object' ? { ...typed, value: variables[name]!.value } : typed]));
}

/** Camunda's FormDto; a task without a form key has no key (there is no rendered form to point to) */
export function camundaForm(task: TaskDetails) {
  const camundaFormRefOfTask = camundaFormRef(task);
  return { key: camundaFormRefOfTask ? null : task.form_key ?? null, contextPath: null, camundaFormRef: camundaFormRefOfTask };
}

/** Camunda's identity links of a task: its candidates, then its assignee and owner */
export function identityLinks(task: TaskDetails, type: string | undefined) {
  const links = [
    ...task.candidate_users.map((userId) => ({ userId, groupId: null, type: 'candidate' })),
    ...task.candidate_groups.map((groupId) => ({ userId: null, groupId, type: 'candidate' })),
    ...(task.assignee ? [{ userId: task.assignee, groupId: null, type: 'assignee' }] : []),
    ...(task.owner ? [{ userId: task.owner, groupId: null, type: 'owner' }] : []),
  ];
  return type === undefined ? links : links.filter((link) => link.type === type);
}

// The definitions API shows what a process asks of people and workers: its tasks and its start form.
import type { ProcessStartForm, ProcessTask, TaskDetails, TaskType } from '../api/types.js';
import type { Expression } from '../expressions/expression.js';
import type { FlowNode, ProcessModel } from './process-model.js';

const TASK_TYPES: ReadonlySet<string> = new Set<TaskType>([
  'userTask', 'serviceTask', 'scriptTask', 'sendTask', 'receiveTask', 'manualTask', 'businessRuleTask',
]);

/** The typed tasks of a process, sub-processes included, in document order. */
export function describeTasks(model: ProcessModel): ProcessTask[] {
  return [...model.elements.values()].filter((node) => TASK_TYPES.has(node.kind)).map(describeTask);
}

function describeTask(node: FlowNode): ProcessTask {
  const task: ProcessTask = { id: node.id, name: node.name, type: node.kind as TaskType };
  const spec = node.userTask;
  if (spec?.assignee !== undefined) task.assignee = shown(spec.assignee);
  if (spec !== undefined && spec.candidateGroups.length > 0) task.candidate_groups = spec.candidateGroups.map(shown);
  if (spec !== undefined && spec.candidateUsers.length > 0) task.candidate_users = spec.candidateUsers.map(shown);
  if (spec?.formKey !== undefined) task.form_key = spec.formKey;
  if (node.externalTask !== undefined) {
    task.service_type = 'external';
    task.service_name = shown(node.externalTask.topic);
  }
  if (node.documentation !== undefined) task.documentation = node.documentation;
  return task;
}

/** A literal as its value, an expression as written (`${initiator}`), since it is only known at run time. */
function shown(expression: Expression): string {
  return expression.literal ?? expression.source;
}

/** The start form as a plain, mutable copy: the model itself is frozen. */
export function startForm(model: ProcessModel): ProcessStartForm | undefined {
  const form = model.startForm;
  if (form === undefined) return undefined;
  return structuredClone(form.schema === undefined ? { key: form.key, fields: [...form.fields] } : { key: form.key, fields: [...form.fields], schema: { ...form.schema } });
}

/** The form of a user task as its task carries it: a plain, mutable copy of the frozen model's. */
export function taskForm(model: ProcessModel, elementId: string): Pick<TaskDetails, 'form_fields' | 'form_schema'> {
  const spec = model.elements.get(elementId)?.userTask;
  const fields = structuredClone([...(spec?.formFields ?? [])]);
  return spec?.formSchema === undefined ? { form_fields: fields } : { form_fields: fields, form_schema: structuredClone({ ...spec.formSchema }) };
}

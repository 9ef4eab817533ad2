// External tasks as Camunda 7 answers them: ExternalTaskDto in its lists and reads, LockedExternalTaskDto
// to the worker that fetched them, which adds the task's variables and error details.
import type { ExternalTask, LockedExternalTask } from '@dadms/process-engine';
import { camundaDate, toCamundaVariables } from './typed-values.js';

/** what both DTOs say of a task; the engine has no version tags */
const described = (task: ExternalTask | LockedExternalTask) => ({
  activityId: task.activity_id,
  activityInstanceId: task.activity_instance_id ?? null,
  errorMessage: task.error_message ?? null,
  executionId: task.execution_id,
  id: task.id,
  lockExpirationTime: task.lock_expiration_time ? camundaDate(task.lock_expiration_time) : null,
  processDefinitionId: task.process_definition_id,
  processDefinitionKey: task.process_definition_key,
  processDefinitionVersionTag: null,
  processInstanceId: task.process_instance_id,
  retries: task.retries,
  workerId: task.worker_id ?? null,
  topicName: task.topic_name,
  tenantId: task.tenant_id ?? null,
  priority: task.priority,
  businessKey: task.business_key ?? null,
});

/** a task as Camunda's ExternalTaskDto */
export const camundaExternalTask = (task: ExternalTask) => ({ ...described(task), createTime: camundaDate(task.created_at), suspended: task.suspended });

/** a locked task as Camunda's LockedExternalTaskDto: a fetch takes only the tasks of active instances */
export const camundaLockedTask = (task: LockedExternalTask) => ({
  ...described(task), createTime: null, suspended: false, errorDetails: task.error_details ?? null,
  variables: toCamundaVariables(task.variables), extensionProperties: {},
});

import type { LockedExternalTask, ProcessVariable } from '../api/types.js';
import type { ExternalTaskRow } from '../execution/instance-state.js';

/** a task as its worker gets it, fetched or pushed; the row holds the worker's lock */
export const lockedTask = (row: ExternalTaskRow, variables: Record<string, ProcessVariable>): LockedExternalTask => ({
  id: row.id, topic_name: row.topic_name, worker_id: row.worker_id!, process_instance_id: row.process_instance_id,
  process_definition_id: row.process_definition_id, process_definition_key: row.process_definition_key,
  activity_id: row.activity_id, execution_id: row.execution_id,
  ...(row.activity_instance_id ? { activity_instance_id: row.activity_instance_id } : {}),
  ...(row.business_key !== null ? { business_key: row.business_key } : {}),
  ...(row.tenant_id !== null ? { tenant_id: row.tenant_id } : {}),
  variables,
  retries: row.retries,
  lock_expiration_time: new Date(row.lock_expiration_time!).toISOString(),
  ...(row.error_message !== null ? { error_message: row.error_message } : {}),
  ...(row.error_details !== null ? { error_details: row.error_details } : {}),
  priority: row.priority,
});

// The instance as a command leaves it, answered without reading it back: the state in memory is what
// was just committed.
import type { CurrentActivity, ActivityStatus, ProcessInstance, ProcessInstanceStatus } from '../api/types.js';
import { toProcessVariable, decodeVariable } from '../variables/variable-codec.js';
import type { InstanceState } from './instance-state.js';

const iso = (d: Date | string) => new Date(d).toISOString();

export function instanceView(state: InstanceState): ProcessInstance {
  const i = state.instance;
  const status = (i.status === 'active' && i.suspension_state === 'suspended' ? 'suspended' : i.status) as ProcessInstanceStatus;
  const assignees = new Map([...state.tasks.values()].map((t) => [t.id, t.assignee]));
  const current: CurrentActivity[] = state.activityInstances.filter((a) => a.end_time === null)
    .sort((a, b) => a.seq - b.seq)
    .map((a) => {
      const assignee = a.task_id ? assignees.get(a.task_id) ?? a.assignee : a.assignee;
      return {
        id: a.id, activity_id: a.activity_id, name: a.activity_name ?? '', type: a.activity_type,
        status: a.status as ActivityStatus, started_at: iso(a.start_time), ...(assignee ? { assignee } : {}),
      };
    });
  const variables = Object.fromEntries(state.variables.filter((v) => v.execution_id === i.id)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((v) => [v.name, toProcessVariable(decodeVariable(v))]));
  return {
    id: i.id,
    process_definition_id: i.process_definition_id,
    process_definition_key: i.process_definition_key,
    process_definition_name: state.definition.name,
    ...(i.business_key !== null ? { business_key: i.business_key } : {}),
    start_time: iso(i.start_time),
    ...(i.end_time !== null ? { end_time: iso(i.end_time) } : {}),
    ...(i.duration !== null ? { duration: Number(i.duration) } : {}),
    status,
    started_by: i.started_by,
    ...(i.tenant_id !== null ? { tenant_id: i.tenant_id } : {}),
    ...(i.super_instance_id !== null ? { super_instance_id: i.super_instance_id } : {}),
    variables,
    current_activities: current,
  };
}

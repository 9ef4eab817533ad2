// The instance as a command leaves it, answered without reading it back: the state in memory is what
// was just committed.
import type { ProcessInstance, ProcessInstanceStatus } from '../api/types.js';
import { asyncAfterTokens, toCurrentActivity, toProcessInstance } from '../queries/index.js';
import { toProcessVariable, decodeVariable } from '../variables/variable-codec.js';
import type { InstanceState } from './instance-state.js';

export function instanceView(state: InstanceState): ProcessInstance {
  const i = state.instance;
  // suspension is kept apart from the life-cycle status; the wire folds it in, as the queries do
  const status = (i.status === 'active' && i.suspension_state === 'suspended' ? 'suspended' : i.status) as ProcessInstanceStatus;
  const assignees = new Map([...state.tasks.values()].map((t) => [t.id, t.assignee]));
  const open = state.activityInstances.filter((a) => a.end_time === null)
    .sort((a, b) => a.seq - b.seq)
    .map((a) => toCurrentActivity({ ...a, assignee: a.task_id ? assignees.get(a.task_id) ?? a.assignee : a.assignee }));
  const current = [...open, ...asyncAfterTokens(state.jobs.filter((j) => j.handler === 'async-after'), state.model)];
  const variables = Object.fromEntries(state.variables.filter((v) => v.execution_id === i.id)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((v) => [v.name, toProcessVariable(decodeVariable(v))]));
  return toProcessInstance({ ...i, process_definition_name: state.definition.name, status }, variables, current);
}

// Which task commands a caller may give. A plain user works its own tasks: those it is assignee or owner
// of, and the unassigned ones it is a candidate of (directly or through a group); a task it is not
// involved in does not exist for it.
import { forbidden, notFound } from '../errors.js';
import { actsForOthers, managesTasks, readsAllWork, type Caller } from './caller.js';

/** claim: take it; work: complete, delegate, resolve; assign: hand it over or give it back */
export type TaskAction = 'claim' | 'work' | 'assign';

export interface TaskParties {
  id: string;
  assignee: string | null;
  owner: string | null;
  candidate_users: readonly string[];
  candidate_groups: readonly string[];
}

export function requireTaskAction(caller: Caller | undefined, task: TaskParties, action: TaskAction): void {
  if (!caller) return;
  const me = caller.user_id;
  const holds = task.assignee === me || task.owner === me;
  const candidate = task.candidate_users.includes(me) || task.candidate_groups.some((g) => caller.groups.includes(g));
  if (!holds && !candidate && !readsAllWork(caller)) throw notFound('Task', task.id);
  if (action === 'work' ? actsForOthers(caller) : managesTasks(caller)) return;
  const allowed = action === 'claim' ? candidate || task.assignee === me
    : action === 'work' ? holds || (task.assignee === null && candidate)
      : holds;
  if (!allowed) throw forbidden(`'${me}' may not ${action} task '${task.id}'`);
}

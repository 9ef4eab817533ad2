// A job's due date changed by hand, as Camunda 7's SetJobDuedateCmd: the row gets the new time and the job
// is dispatched again for it, replacing the reminder of its old time (a BullMQ dispatcher would otherwise keep
// the old delayed reminder and drop the new one, so a job moved earlier would wait for its old time). A job
// moved later cannot run at its old time either way: the runner locks a row only once it is due.
import type { CommandContext } from '../commands/command-context.js';
import { dispatchAfterCommit, inTransaction, onInstance } from '../commands/run-command.js';
import { seesTenant } from '../access/caller.js';
import { auditDefinitions } from '../definitions/definition-audit.js';
import { invalid, notFound } from '../errors.js';
import type { JobRow } from '../execution/instance-state.js';
import { findJob } from './run-job.js';

/** the new due time: null is now, as Camunda runs a job without a due date at the executor's next turn */
function dueTime(ctx: CommandContext, due: string | null): Date {
  if (due === null) return ctx.now();
  const time = typeof due === 'string' ? Date.parse(due) : Number.NaN;
  if (Number.isNaN(time)) throw invalid('due must be an ISO 8601 date-time or null', { due });
  return new Date(time);
}

const iso = (time: JobRow['due_at']): string => new Date(time).toISOString();

/** PUT /jobs/{id}/due-date; audited as SetJobDuedate with the old and the new time */
export async function setJobDueDate(ctx: CommandContext, jobId: string, due: string | null, userId?: string): Promise<void> {
  const dueAt = dueTime(ctx, due);
  const job = await findJob(ctx, jobId);
  if (!job || !seesTenant(ctx.caller, job.tenant_id)) throw notFound('Job', jobId);
  const change = { operation: 'SetJobDuedate' as const, user_id: userId ?? null, property: 'duedate', new_value: dueAt.toISOString() };
  const instanceId = job.process_instance_id;
  if (instanceId === null) {
    // a timer start event's job: it belongs to its definition, not to an instance
    await inTransaction(ctx, async (trx) => {
      const rows = await trx.updateTable('jobs').set({ due_at: dueAt }).where('id', '=', jobId).returningAll().execute();
      if (!rows[0]) throw notFound('Job', jobId);
      const definition = { id: job.process_definition_id, key: job.process_definition_key, tenant_id: job.tenant_id };
      await auditDefinitions(ctx, trx, [definition], [{ ...change, org_value: iso(job.due_at) }]);
      dispatchAfterCommit(trx, rows, [], { replace: true });
    }, { key: jobId });
    return;
  }
  await inTransaction(ctx, async (trx) => {
    const row = await onInstance(ctx, trx, instanceId, (interpreter, state) => {
      const found = state.jobs.get(jobId);
      if (!found) throw notFound('Job', jobId);
      interpreter.history.audit({ ...change, activity_id: found.activity_id, execution_id: found.execution_id, org_value: iso(found.due_at) });
      found.due_at = dueAt;
      return { ...found };
    });
    dispatchAfterCommit(trx, [row], [], { replace: true });
  }, { key: instanceId });
}

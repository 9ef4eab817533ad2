// Timer start events: each deployed version's timers are jobs without an instance. Only the latest
// version of a key starts on a timer, so a new version replaces the previous one's jobs.
import type { Transaction } from 'kysely';
import { dispatchAfterCommit } from '../commands/run-command.js';
import { invalidBpmn, type Problem } from '../errors.js';
import { evaluateExpression, ExpressionError } from '../expressions/index.js';
import type { ProcessModel } from '../model/index.js';
import type { JobRow } from '../execution/instance-state.js';
import type { Database, NewRow } from '../persistence/database.js';
import { scheduleTimer, TimerValueError, type Firing, type TimerKind } from '../timers/index.js';
import { newId } from '../util/ids.js';
import { activeTraceparent } from '../observability/tracing.js';

export const TIMER_START_RETRIES = 3;

export interface TimerStart {
  eventId: string;
  firing: Firing;
}

/** the first firing of every timer start event of each process; a value that is no timer refuses the deployment */
export function firstTimerStarts(processes: readonly ProcessModel[], now: Date): TimerStart[][] {
  const problems: Problem[] = [];
  const starts = processes.map((p) => p.timerStartEvents.flatMap((eventId) => {
    const definition = p.elements.get(eventId)!.eventDefinition;
    if (definition.kind !== 'timer') return [];
    const [kind, expression] = (definition.timeDate ? ['date', definition.timeDate] : definition.timeDuration
      ? ['duration', definition.timeDuration] : ['cycle', definition.timeCycle!]) as [TimerKind, typeof definition.timeDate & object];
    try {
      return [{ eventId, firing: scheduleTimer(kind, evaluateExpression(expression, {}), now) }];
    } catch (e) {
      if (!(e instanceof TimerValueError) && !(e instanceof ExpressionError)) throw e;
      problems.push({ element_id: eventId, message: `The timer of start event '${eventId}' cannot be scheduled: ${e.message}` });
      return [];
    }
  }));
  if (problems.length) throw invalidBpmn(problems);
  return starts;
}

export function timerStartJob(
  definition: { id: string; key: string; tenant_id: string | null },
  eventId: string,
  firing: Firing,
  now: Date,
): NewRow<'jobs'> & Pick<JobRow, 'id' | 'due_at' | 'retries' | 'suspended'> {
  return {
    id: newId(), type: 'timer', handler: 'timer-start', process_instance_id: null, process_definition_id: definition.id,
    process_definition_key: definition.key, execution_id: null, activity_id: eventId, tenant_id: definition.tenant_id,
    due_at: firing.due, repeat: firing.repeat ?? null, payload: null, retries: TIMER_START_RETRIES, lock_owner: null,
    lock_expires_at: null, exception_message: null, exception_stacktrace: null, suspended: false, created_at: now,
    trace_parent: activeTraceparent(),
  };
}

/** the new versions' timer jobs replace those of the versions they follow */
export async function replaceTimerStartJobs(
  trx: Transaction<Database>,
  previousDefinitionIds: readonly string[],
  jobs: ReturnType<typeof timerStartJob>[],
): Promise<void> {
  if (previousDefinitionIds.length) {
    await trx.deleteFrom('jobs').where('process_definition_id', 'in', previousDefinitionIds).where('handler', '=', 'timer-start').execute();
  }
  if (!jobs.length) return;
  await trx.insertInto('jobs').values(jobs).execute();
  dispatchAfterCommit(trx, jobs);
}

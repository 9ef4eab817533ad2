// Camunda 7's `/job/{id}`: a job read, its retries or due date set, and the job run at once. Camunda answers each of
// these for a job it cannot find in a way of its own: reading it a 404, running it a 404 naming the engine
// exception, setting its retries or due date a 500 (its engine's exception is no user error there).
import type { Engine } from '@dadms/process-engine';
import { CamundaFailure } from '../camunda-failure.js';
import { isEngineErrorOf, notFoundAs } from '../camunda-not-found.js';
import { fromCamundaTime } from '../history/query.js';
import { refuseUnsupported } from '../unsupported-options.js';
import { camundaJob } from './jobs.js';

/** the job as Camunda's JobDto; a 404 in Camunda's words when there is none */
export async function jobById(engine: Engine, id: string) {
  return camundaJob(await engine.getJob(id).catch(notFoundAs(`Job with id ${id} does not exist`)));
}

/**
 * New retries for the job; above 0 they let a failed job run again and resolve its failedJob incident, as
 * Camunda's do. Camunda answers a negative count and a job it cannot find with a 500 InvalidRequestException.
 */
export async function setRetries(engine: Engine, id: string, retries: number): Promise<void> {
  if (retries < 0) {
    throw new CamundaFailure(500, 'InvalidRequestException', `ENGINE-13054 The number of job retries must be a non-negative Integer, but '${retries}' has been provided.`);
  }
  await engine.setJobRetries(id, retries).catch((e: unknown) => {
    throw isEngineErrorOf(e, 'NOT_FOUND') ? new CamundaFailure(500, 'InvalidRequestException', `ENGINE-13053 No job found with id '${id}'.'`) : e;
  });
}

/**
 * A new due date for the job (null: due now, as Camunda runs a job without one at once). `cascade` is
 * refused: the engine keeps no offset for a timer cycle's later firings to follow. Camunda answers a job
 * it cannot find with a 500 InvalidRequestException, as for retries.
 */
export async function setDueDate(engine: Engine, id: string, body: { duedate: string | null; cascade?: boolean | null }, userId?: string): Promise<void> {
  refuseUnsupported(body, ['cascade']);
  const due = body.duedate === null ? null : fromCamundaTime('duedate', body.duedate)!;
  await engine.setJobDueDate(id, due, { user_id: userId }).catch((e: unknown) => {
    throw isEngineErrorOf(e, 'NOT_FOUND') ? new CamundaFailure(500, 'InvalidRequestException', `No job found with id '${id}'.`) : e;
  });
}

/**
 * Runs the job now, whatever its due time. A job that fails counts the attempt against its retries, as one
 * run by the executor does, and answers as an exception of the job's own does in Camunda: a 500
 * RestException with its message. A suspended job does not run here (a 400); Camunda would run it.
 */
export async function executeNow(engine: Engine, id: string): Promise<void> {
  const missing = notFoundAs(`ENGINE-14026 No job found with id '${id}'`);
  await engine.getJob(id).catch(missing);
  try {
    await engine.executeJob(id);
  } catch (e) {
    if (isEngineErrorOf(e, 'NOT_FOUND')) missing(e);
    if (!isEngineErrorOf(e, 'CONFLICT')) throw e;
    // the engine refuses a suspended job as it refuses a failed run: the job read again tells them apart
    const after = await engine.getJob(id).catch(() => undefined);
    if (after?.suspended) throw e;
    throw new CamundaFailure(500, 'RestException', after?.exception_message ?? (e as Error).message);
  }
}

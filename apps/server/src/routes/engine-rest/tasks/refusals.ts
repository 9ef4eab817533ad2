// Camunda 7 answers a task it cannot find, or a command it refuses, with the status and exception type of
// the engine exception behind it, and those differ from one endpoint to the next: claiming a missing task
// is a 500 NullValueException, unclaiming it a 400 NotFoundException, completing it a 500 RestException
// whose message names the task, reading it a 404. The engine says what went wrong in its own codes; a
// refusal is looked at once more (the task read back) to tell a task that is gone from a suspended or a
// claimed one, and answered as Camunda does at that endpoint.
import { isEngineError, type Engine, type EngineError, type TaskDetails, type TaskStatus } from '@dadms/process-engine';
import { assertEngineId } from '../../id-param.js';
import { CamundaFailure } from '../camunda-failure.js';
import { isEngineErrorOf } from '../camunda-not-found.js';

/** a task that is completed or cancelled is gone from Camunda's runtime */
const OPEN: ReadonlySet<TaskStatus> = new Set(['created', 'assigned', 'delegated']);

type Reason = 'missing' | 'suspended' | 'refused' | 'invalid';
type Answer = (id: string, error: EngineError) => CamundaFailure;
/** Camunda's answer at one endpoint for each reason it may refuse; a reason left out keeps the shared mapping */
export type Refusals = Partial<Record<Reason, Answer>>;

const missing = (id: string) => `Cannot find task with id ${id}: task is null`;
const suspended = (id: string) => `ENGINE-03043 task with id '${id}' is suspended.`;
const answer = (status: number, type: string, message: (id: string, error: EngineError) => string): Answer =>
  (id, error) => new CamundaFailure(status, type, message(id, error));
const engineMessage = (_id: string, error: EngineError) => error.message;

/** claim, delegate and resolve find the task without a type of their own; assignee and unclaim as not found */
const assigning = (missingStatus: number, missingType: string): Refusals => ({
  missing: answer(missingStatus, missingType, missing),
  suspended: answer(400, 'SuspendedEntityInteractionException', suspended),
});

/** a completion wraps every refusal of the engine into a 500 naming the task, and bad variables into a 400 */
const completing = (what: string): Refusals => {
  const named = (status: number, type: string, why: (id: string, error: EngineError) => string) => answer(status, type, (id, e) => `${what} ${id}: ${why(id, e)}`);
  const badForm = named(400, 'RestException', engineMessage);
  const badVariables = named(400, 'InvalidRequestException', engineMessage);
  return {
    missing: named(500, 'RestException', missing),
    suspended: named(500, 'RestException', suspended),
    refused: named(500, 'RestException', engineMessage),
    invalid: (id, e) => (e.details?.problems ? badForm : badVariables)(id, e),
  };
};

export const TASK_REFUSALS = {
  claim: { ...assigning(500, 'NullValueException'), refused: answer(500, 'TaskAlreadyClaimedException', (id) => `Task '${id}' is already claimed by someone else.`) },
  assign: assigning(400, 'NotFoundException'),
  delegate: assigning(500, 'NullValueException'),
  resolve: { ...assigning(500, 'NullValueException'), invalid: answer(400, 'InvalidRequestException', (id, e) => `Cannot resolve task ${id}: ${e.message}`) },
  complete: completing('Cannot complete task'),
  submit: completing('Cannot submit task form'),
} satisfies Record<string, Refusals>;

type Absent = (id: string) => CamundaFailure;
const absent = (status: number, type: string, message: (id: string) => string): Absent => (id) => new CamundaFailure(status, type, message(id));

/** what a read of a task that is not there answers, endpoint by endpoint */
export const MISSING_TASK = {
  task: absent(404, 'InvalidRequestException', (id) => `No matching task with id ${id}`),
  variables: absent(500, 'NullValueException', (id) => `task ${id} doesn't exist: task is null`),
  variable: (name: string) => absent(500, 'RestException', (id) => `Cannot get task variable ${name}: task ${id} doesn't exist: task is null`),
  formVariables: absent(400, 'BadUserRequestException', (id) => `Cannot find task with id '${id}'.: task is null`),
  form: absent(400, 'RestException', (id) => `Cannot get form for task ${id}`),
  identityLinks: absent(500, 'NullValueException', missing),
};

/** the open task, or undefined when there is none the caller may see */
async function openTask(engine: Engine, id: string): Promise<TaskDetails | undefined> {
  const task = await engine.getTask(id).catch((e: unknown) => {
    if (isEngineErrorOf(e, 'NOT_FOUND')) return undefined;
    throw e;
  });
  return task && OPEN.has(task.status) ? task : undefined;
}

/** the open task, or Camunda's answer for a task that is not there */
export async function readTask(engine: Engine, id: string, whenAbsent: Absent): Promise<TaskDetails> {
  const task = await openTask(engine, id);
  if (!task) throw whenAbsent(id);
  return task;
}

/** runs a command on a task, answering a refusal of the engine as Camunda does at that endpoint */
export async function commandOnTask<T>(engine: Engine, id: string, refusals: Refusals, command: () => Promise<T>): Promise<T> {
  try {
    assertEngineId('Task', id);
    return await command();
  } catch (e) {
    if (!isEngineError(e)) throw e;
    const reason = await reasonFor(engine, id, e);
    const refusal = reason && refusals[reason];
    throw refusal ? refusal(id, e) : e;
  }
}

async function reasonFor(engine: Engine, id: string, error: EngineError): Promise<Reason | undefined> {
  if (error.code === 'VALIDATION_ERROR') return 'invalid';
  if (error.code === 'NOT_FOUND') return 'missing';
  if (error.code !== 'CONFLICT') return undefined;
  const task = await openTask(engine, id);
  if (!task) return 'missing';
  return task.suspension_state === 'suspended' ? 'suspended' : 'refused';
}

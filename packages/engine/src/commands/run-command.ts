// One command, one transaction: lock the instance's root row, load its state, let the interpreter
// run, write the difference. Anything thrown rolls the whole command back.
import type { Transaction } from 'kysely';
import { notFound } from '../errors.js';
import { Interpreter } from '../execution/interpreter.js';
import type { InstanceState } from '../execution/instance-state.js';
import type { Database } from '../persistence/database.js';
import { loadState, lockInstance } from '../persistence/load-state.js';
import { writeState } from '../persistence/write-state.js';
import { isEngineId } from '../util/ids.js';
import type { CommandContext } from './command-context.js';

export type InstanceWork<T> = (interpreter: Interpreter, state: InstanceState, trx: Transaction<Database>) => T | Promise<T>;

export function inTransaction<T>(ctx: CommandContext, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return ctx.db.transaction().execute(work);
}

/** runs work on one instance inside an open transaction */
export async function onInstance<T>(ctx: CommandContext, trx: Transaction<Database>, instanceId: string, work: InstanceWork<T>): Promise<T> {
  const row = isEngineId(instanceId) ? await lockInstance(trx, instanceId) : undefined;
  if (!row) throw notFound('Process instance', instanceId);
  const { info, model } = await ctx.definitions.get(row.process_definition_id, trx);
  const state = await loadState(trx, row, info, model);
  const result = await work(new Interpreter(state, ctx.interpreter), state, trx);
  await writeState(trx, state);
  return result;
}

export const withInstance = <T>(ctx: CommandContext, instanceId: string, work: InstanceWork<T>): Promise<T> =>
  inTransaction(ctx, (trx) => onInstance(ctx, trx, instanceId, work));

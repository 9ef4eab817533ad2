// Changes to deployed definitions: metadata, deletion, suspension.
import { sql } from 'kysely';
import { conflict, invalid, notFound } from '../errors.js';
import { isEngineId } from '../util/ids.js';
import type { CommandContext } from '../commands/command-context.js';
import { dispatchAfterCommit, inTransaction } from '../commands/run-command.js';
import { eraseInstanceTrees } from '../retention/erase-instances.js';

async function requireDefinition(ctx: CommandContext, id: string): Promise<void> {
  const row = isEngineId(id) ? await ctx.db.selectFrom('process_definitions').select('id').where('id', '=', id).executeTakeFirst() : undefined;
  if (!row) throw notFound('Process definition', id);
}

export async function updateDefinition(ctx: CommandContext, id: string, patch: { name?: string; category?: string; description?: string }): Promise<void> {
  await requireDefinition(ctx, id);
  const changes = Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && ['name', 'category', 'description'].includes(k)));
  if (!Object.keys(changes).length) throw invalid('Nothing to change: give name, category or description');
  if (changes.name !== undefined && (typeof changes.name !== 'string' || !changes.name.trim())) throw invalid('name must be a non-empty string');
  await ctx.db.updateTable('process_definitions').set(changes).where('id', '=', id).execute();
  ctx.definitions.forget(id);
}

export async function deleteDefinition(ctx: CommandContext, id: string, options: { cascade?: boolean } = {}): Promise<void> {
  await requireDefinition(ctx, id);
  await inTransaction(ctx, async (trx) => {
    const { count } = await trx.selectFrom('process_instances').select((eb) => eb.fn.countAll<number>().as('count'))
      .where('process_definition_id', '=', id).executeTakeFirstOrThrow();
    if (Number(count) > 0 && !options.cascade) {
      throw conflict(`Process definition '${id}' has ${count} instance(s): delete with cascade=true to remove them too`);
    }
    await eraseInstanceTrees(trx, sql`SELECT id FROM process_instances WHERE process_definition_id = ${id}`);
    await trx.deleteFrom('event_subscriptions').where('process_definition_id', '=', id).execute();
    await trx.deleteFrom('jobs').where('process_definition_id', '=', id).execute();
    const { deployment_id } = await trx.deleteFrom('process_definitions').where('id', '=', id).returning('deployment_id').executeTakeFirstOrThrow();
    const rest = await trx.selectFrom('process_definitions').select('id').where('deployment_id', '=', deployment_id).limit(1).execute();
    if (!rest.length) await trx.deleteFrom('deployments').where('id', '=', deployment_id).execute();
  }, { alone: true });
  ctx.definitions.forget(id);
}

/** include_instances suspends (or activates) the running instances and the work they handed out too */
export async function setDefinitionSuspended(ctx: CommandContext, id: string, suspended: boolean, options: { include_instances?: boolean } = {}): Promise<void> {
  if (typeof suspended !== 'boolean') throw invalid('suspended must be true or false');
  await requireDefinition(ctx, id);
  await inTransaction(ctx, async (trx) => {
    await trx.updateTable('process_definitions').set({ suspended, active: !suspended }).where('id', '=', id).execute();
    // a suspended definition starts nothing on its timers; activated, they are dispatched again
    const timers = await trx.updateTable('jobs').set({ suspended }).where('process_definition_id', '=', id)
      .where('handler', '=', 'timer-start').returningAll().execute();
    if (!options.include_instances) return dispatchAfterCommit(trx, timers);
    const state = suspended ? 'suspended' : 'active';
    const running = trx.selectFrom('process_instances').select('id').where('process_definition_id', '=', id).where('end_time', 'is', null);
    await trx.updateTable('process_instances').set({ suspension_state: state, status: state })
      .where('process_definition_id', '=', id).where('end_time', 'is', null).execute();
    await trx.updateTable('tasks').set({ suspension_state: state }).where('process_instance_id', 'in', running)
      .where('status', 'in', ['created', 'assigned', 'delegated']).execute();
    await trx.updateTable('external_tasks').set({ suspended }).where('process_instance_id', 'in', running).execute();
    const jobs = await trx.updateTable('jobs').set({ suspended }).where('process_instance_id', 'in', running).returningAll().execute();
    dispatchAfterCommit(trx, [...timers, ...jobs]);
  }, { alone: true });
}

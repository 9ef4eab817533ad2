// Changes to deployed definitions: metadata, deletion, suspension; each audited with the user who made it.
import { sql, type Transaction } from 'kysely';
import { seesTenant } from '../access/caller.js';
import { inCallerTenants } from '../access/visible-rows.js';
import { EngineError, forbidden, invalid, notFound } from '../errors.js';
import type { Database } from '../persistence/database.js';
import { isEngineId } from '../util/ids.js';
import type { CommandContext } from '../commands/command-context.js';
import { auditDefinitions, type AuditedDefinition } from './definition-audit.js';
import { dispatchAfterCommit, inTransaction } from '../commands/run-command.js';
import { eraseInstanceTrees } from '../retention/erase-instances.js';

const EDITABLE = ['name', 'category', 'description'] as const;
type Patch = Partial<Record<(typeof EDITABLE)[number], string>>;

async function requireDefinition(ctx: CommandContext, id: string): Promise<AuditedDefinition & Required<Patch>> {
  const row = isEngineId(id)
    ? await ctx.db.selectFrom('process_definitions').select(['id', 'key', 'tenant_id', ...EDITABLE]).where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!row || !seesTenant(ctx.caller, row.tenant_id)) throw notFound('Process definition', id);
  return { ...row, category: row.category ?? '', description: row.description ?? '' };
}

/**
 * A definition of no tenant may have instances in several tenants; a caller limited to some of them
 * may not delete or suspend the others' along with it.
 */
async function requireOnlyVisibleInstances(ctx: CommandContext, trx: Transaction<Database>, id: string, doing: string): Promise<void> {
  const visible = inCallerTenants('process_instances.tenant_id', ctx.caller);
  if (!visible.length) return;
  const foreign = await trx.selectFrom('process_instances').select('id')
    .where('process_definition_id', '=', id).where((eb) => eb.not(eb.and(visible))).limit(1).executeTakeFirst();
  if (foreign) throw forbidden(`Process definition '${id}' has instances of tenants the caller may not use: it cannot ${doing} them`);
}

export async function updateDefinition(ctx: CommandContext, id: string, patch: Patch, userId: string | null = null): Promise<void> {
  const before = await requireDefinition(ctx, id);
  const changes: Patch = Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && (EDITABLE as readonly string[]).includes(k)));
  if (!Object.keys(changes).length) throw invalid('Nothing to change: give name, category or description');
  if (changes.name !== undefined && (typeof changes.name !== 'string' || !changes.name.trim())) throw invalid('name must be a non-empty string');
  await inTransaction(ctx, async (trx) => {
    await trx.updateTable('process_definitions').set(changes).where('id', '=', id).execute();
    await auditDefinitions(ctx, trx, [before], Object.entries(changes).map(([property, value]) => ({
      operation: 'UpdateDefinition', user_id: userId, property, org_value: before[property as keyof Patch], new_value: value,
    })));
  });
  ctx.definitions.forget(id);
}

/**
 * Erases a definition in the command's transaction, with its instances and those they called when
 * `cascade`; a CONFLICT naming its instances (running or ended) when it has some and no cascade is asked.
 * Answers the definition's deployment.
 */
export async function eraseDefinition(ctx: CommandContext, trx: Transaction<Database>, id: string, cascade: boolean): Promise<string> {
  const { count } = await trx.selectFrom('process_instances').select((eb) => eb.fn.countAll<number>().as('count'))
    .where('process_definition_id', '=', id).executeTakeFirstOrThrow();
  const instances = Number(count);
  if (instances > 0 && !cascade) {
    throw new EngineError('CONFLICT', `Process definition '${id}' has ${instances} instance(s): delete with cascade=true to remove them too`, {
      details: { process_definition_id: id, instances },
    });
  }
  await requireOnlyVisibleInstances(ctx, trx, id, 'delete');
  await eraseInstanceTrees(trx, sql`SELECT id FROM process_instances WHERE process_definition_id = ${id}`);
  await trx.deleteFrom('event_subscriptions').where('process_definition_id', '=', id).execute();
  await trx.deleteFrom('jobs').where('process_definition_id', '=', id).execute();
  const { deployment_id } = await trx.deleteFrom('process_definitions').where('id', '=', id).returning('deployment_id').executeTakeFirstOrThrow();
  ctx.definitions.versionsChanged();
  return deployment_id;
}

export async function deleteDefinition(ctx: CommandContext, id: string, options: { cascade?: boolean } = {}, userId: string | null = null): Promise<void> {
  const definition = await requireDefinition(ctx, id);
  await inTransaction(ctx, async (trx) => {
    const deployment_id = await eraseDefinition(ctx, trx, id, options.cascade === true);
    // its forms and decisions stay, and their deployment with them: other definitions may use them
    const rest = await trx.selectFrom('process_definitions').select('id').where('deployment_id', '=', deployment_id)
      .union(trx.selectFrom('forms').select('id').where('deployment_id', '=', deployment_id))
      .union(trx.selectFrom('decision_definitions').select('id').where('deployment_id', '=', deployment_id)).limit(1).execute();
    if (!rest.length) await trx.deleteFrom('deployments').where('id', '=', deployment_id).execute();
    await auditDefinitions(ctx, trx, [definition], [{ operation: 'DeleteDefinition', user_id: userId, new_value: options.cascade ? 'cascade' : null }]);
  }, { alone: true });
  ctx.definitions.forget(id);
}

/** include_instances suspends (or activates) the running instances and the work they handed out too */
export async function setDefinitionSuspended(
  ctx: CommandContext, id: string, suspended: boolean, options: { include_instances?: boolean } = {}, userId: string | null = null,
): Promise<void> {
  if (typeof suspended !== 'boolean') throw invalid('suspended must be true or false');
  const definition = await requireDefinition(ctx, id);
  await inTransaction(ctx, async (trx) => {
    await trx.updateTable('process_definitions').set({ suspended, active: !suspended }).where('id', '=', id).execute();
    ctx.definitions.versionsChanged();
    await auditDefinitions(ctx, trx, [definition], [{
      operation: suspended ? 'SuspendDefinition' : 'ActivateDefinition', user_id: userId,
      new_value: options.include_instances ? 'include_instances' : null,
    }]);
    // a suspended definition starts nothing on its timers; activated, they are dispatched again
    const timers = await trx.updateTable('jobs').set({ suspended }).where('process_definition_id', '=', id)
      .where('handler', '=', 'timer-start').returningAll().execute();
    if (!options.include_instances) return dispatchAfterCommit(trx, timers);
    await requireOnlyVisibleInstances(ctx, trx, id, suspended ? 'suspend' : 'activate');
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

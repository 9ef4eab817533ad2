// Deleting a deployment with everything it holds, as Camunda 7's repository deletes one: each process
// definition as deleteDefinition deletes it (its instances too with cascade), its decisions (their
// evaluations too with cascade) and its forms, in one transaction, so that a refusal leaves all of it.
import type { Transaction } from 'kysely';
import { sql } from 'kysely';
import { seesTenant } from '../access/caller.js';
import { inCallerTenants } from '../access/visible-rows.js';
import type { CommandContext } from '../commands/command-context.js';
import { inTransaction } from '../commands/run-command.js';
import { conflict, forbidden, notFound } from '../errors.js';
import type { Database } from '../persistence/database.js';
import { isEngineId } from '../util/ids.js';
import { eraseDefinition } from './definition-commands.js';
import { auditDefinitions } from './definition-audit.js';
import { lockDeployments } from './deploy.js';

export async function deleteDeployment(ctx: CommandContext, id: string, options: { cascade?: boolean } = {}, userId: string | null = null): Promise<void> {
  const deployment = isEngineId(id) ? await ctx.db.selectFrom('deployments').select('tenant_id').where('id', '=', id).executeTakeFirst() : undefined;
  if (!deployment || !seesTenant(ctx.caller, deployment.tenant_id)) throw notFound('Deployment', id);
  const cascade = options.cascade === true;
  const erased = await inTransaction(ctx, async (trx) => {
    // a deployment made meanwhile could link one of these forms
    await lockDeployments(trx);
    const definitions = await trx.selectFrom('process_definitions').select(['id', 'key', 'tenant_id']).where('deployment_id', '=', id).orderBy('id').execute();
    for (const definition of definitions) await eraseDefinition(ctx, trx, definition.id, cascade);
    await eraseDecisions(ctx, trx, id, cascade);
    await eraseForms(trx, id);
    const { numDeletedRows } = await trx.deleteFrom('deployments').where('id', '=', id).executeTakeFirstOrThrow();
    if (Number(numDeletedRows) === 0) throw notFound('Deployment', id);
    await auditDefinitions(ctx, trx, definitions, [{ operation: 'DeleteDefinition', user_id: userId, new_value: cascade ? 'cascade' : null }]);
    return definitions;
  }, { alone: true });
  for (const definition of erased) ctx.definitions.forget(definition.id);
}

/**
 * The deployment's decisions, and with cascade the evaluations in their history (with those of the
 * decisions they required), which name their decision and cannot outlive it.
 */
async function eraseDecisions(ctx: CommandContext, trx: Transaction<Database>, deploymentId: string, cascade: boolean): Promise<void> {
  const decisions = trx.selectFrom('decision_definitions').select('id').where('deployment_id', '=', deploymentId);
  const evaluated = await trx.selectFrom('decision_instances').select(['decision_definition_id', (eb) => eb.fn.countAll<number>().as('count')])
    .where('decision_definition_id', 'in', decisions).groupBy('decision_definition_id').orderBy('decision_definition_id').limit(1).executeTakeFirst();
  if (evaluated && !cascade) {
    throw conflict(`Decision definition '${evaluated.decision_definition_id}' has ${Number(evaluated.count)} evaluation(s) in its history: delete with cascade=true to remove them too`);
  }
  if (evaluated) {
    // a decision of no tenant may have been evaluated for several: a caller limited to some may not erase the others'
    const visible = inCallerTenants('decision_instances.tenant_id', ctx.caller);
    const foreign = visible.length
      ? await trx.selectFrom('decision_instances').select('id').where('decision_definition_id', 'in', decisions)
        .where((eb) => eb.not(eb.and(visible))).limit(1).executeTakeFirst()
      : undefined;
    if (foreign) throw forbidden(`Deployment '${deploymentId}' has decision evaluations of tenants the caller may not use: it cannot delete them`);
    const roots = trx.selectFrom('decision_instances').select('id').where('decision_definition_id', 'in', decisions);
    await trx.deleteFrom('decision_instances')
      .where((eb) => eb.or([eb('decision_definition_id', 'in', decisions), eb('root_decision_instance_id', 'in', roots)])).execute();
  }
  await trx.deleteFrom('decision_definitions').where('deployment_id', '=', deploymentId).execute();
}

/** The deployment's forms, unless a definition of another deployment links one: it was given that version for good. */
async function eraseForms(trx: Transaction<Database>, deploymentId: string): Promise<void> {
  const { rows: [linked] } = await sql<{ definition_id: string; form_key: string }>`
    SELECT d.id AS definition_id, f.form_key FROM process_definitions d
    CROSS JOIN LATERAL jsonb_each_text(d.linked_forms::jsonb) link
    JOIN forms f ON f.id = link.value
    WHERE d.linked_forms IS NOT NULL AND d.deployment_id <> ${deploymentId} AND f.deployment_id = ${deploymentId}
    ORDER BY d.id LIMIT 1`.execute(trx);
  if (linked) {
    throw conflict(`The form '${linked.form_key}' of deployment '${deploymentId}' is linked by process definition '${linked.definition_id}' of another deployment: delete that first`);
  }
  await trx.deleteFrom('forms').where('deployment_id', '=', deploymentId).execute();
}

// Starting instances: by a client (POST /instances), and the one way every other start (message,
// signal, timer) goes through.
import type { Transaction } from 'kysely';
import { requireTenant } from '../access/acting-user.js';
import { seesTenant } from '../access/caller.js';
import type { StartInstanceInput } from '../api/engine.js';
import type { ProcessInstance } from '../api/types.js';
import { instanceView } from '../execution/instance-view.js';
import { conflict, invalid, notFound } from '../errors.js';
import type { InstanceState } from '../execution/instance-state.js';
import type { Database } from '../persistence/database.js';
import { toTypedValues, type TypedValue } from '../variables/variable-codec.js';
import { checkSubmission } from '../forms/check-submission.js';
import type { CommandContext } from './command-context.js';
import { InstanceSession } from './instance-session.js';
import { definitionById, type NewInstance, type StartableDefinition } from './new-instance.js';
import { inTransaction } from './run-command.js';

/** POST /instances: by definition id, or the latest version of a key (within the tenant, if given) */
export async function startInstance(ctx: CommandContext, input: StartInstanceInput): Promise<ProcessInstance> {
  if (!input.process_definition_id === !input.process_definition_key) {
    throw invalid('Give exactly one of process_definition_key and process_definition_id');
  }
  requireTenant(ctx.caller, input.tenant_id);
  const variables = toTypedValues(input.variables);
  return inTransaction(ctx, async (trx) => {
    const definition = input.process_definition_id === undefined
      ? await latestDefinition(ctx, trx, input.process_definition_key!, input.tenant_id)
      : await definitionById(trx, input.process_definition_id);
    if (!seesTenant(ctx.caller, definition.tenant_id)) throw notFound('Process definition', definition.id);
    // an instance belongs to its definition's tenant: another named with it would be dropped unseen
    if (input.tenant_id !== undefined && definition.tenant_id !== null && input.tenant_id !== definition.tenant_id) {
      throw invalid(`tenant_id '${input.tenant_id}' is not the tenant of process definition '${definition.id}' ('${definition.tenant_id}')`, {
        tenant_id: input.tenant_id,
      });
    }
    return instanceView(await createInstance(ctx, trx, {
      definition, businessKey: input.business_key, variables: await startFormChecked(ctx, trx, definition.id, variables),
      startedBy: input.started_by, tenantId: input.tenant_id,
    }));
  });
}

/**
 * A client's start is the submission of the process's start form, when it has one: its fields are checked
 * as a task's are on completion. Other starts (messages, signals, timers, call activities) fill in no form.
 */
async function startFormChecked(ctx: CommandContext, trx: Transaction<Database>, definitionId: string, variables: Map<string, TypedValue>): Promise<ReadonlyMap<string, TypedValue>> {
  const { model } = await ctx.definitions.get(definitionId, trx);
  const fields = model.startForm?.fields ?? [];
  return fields.length ? checkSubmission(`the start form of process '${model.name || model.id}'`, fields, variables, () => undefined) : variables;
}

/**
 * Without a tenant, a key names the definitions deployed for no tenant; failing those, the one tenant
 * that has the key (as Camunda 7 does). Several tenants make the key ambiguous.
 */
async function latestDefinition(ctx: CommandContext, trx: Transaction<Database>, key: string, tenantId: string | undefined): Promise<StartableDefinition> {
  const versions = await ctx.transactions.sharedRead(trx, `versions of key ${key}`, () => ctx.definitions.versions(key, trx));
  const rows = versions
    .filter((r) => seesTenant(ctx.caller, r.tenant_id) && (tenantId === undefined || r.tenant_id === tenantId));
  const first = rows[0];
  if (!first) throw notFound('Process definition with key', tenantId === undefined ? key : `${key}' of tenant '${tenantId}`);
  if (tenantId === undefined && first.tenant_id !== null && rows.some((r) => r.tenant_id !== first.tenant_id)) {
    throw conflict(`Process definition key '${key}' is deployed for several tenants: give tenant_id`);
  }
  return first;
}

/** a new instance, run until it waits, with the instances it called; written in the transaction */
export async function createInstance(ctx: CommandContext, trx: Transaction<Database>, spec: NewInstance): Promise<InstanceState> {
  const session = new InstanceSession(ctx, trx);
  const { state } = await session.start(spec);
  await session.finish();
  return state;
}

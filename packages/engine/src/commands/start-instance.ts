import { sql, type Transaction } from 'kysely';
import type { StartInstanceInput } from '../api/engine.js';
import type { ProcessInstance } from '../api/types.js';
import { instanceView } from '../execution/instance-view.js';
import { conflict, invalid, notFound } from '../errors.js';
import { InstanceState } from '../execution/instance-state.js';
import { Interpreter } from '../execution/interpreter.js';
import type { Database } from '../persistence/database.js';
import { isEngineId, newId } from '../util/ids.js';
import { toTypedValues, type TypedValue } from '../variables/variable-codec.js';
import type { CommandContext } from './command-context.js';
import { inTransaction, saveState } from './run-command.js';

export const ANONYMOUS = 'anonymous';

export interface NewInstance {
  definition: StartableDefinition | string;
  /** the start event the first token enters (none start, or the message start that was triggered) */
  startEventId?: string;
  businessKey?: string | null;
  variables: Map<string, TypedValue>;
  startedBy?: string;
  tenantId?: string | null;
}

/** POST /instances: by definition id, or the latest version of a key (within the tenant, if given) */
export async function startInstance(ctx: CommandContext, input: StartInstanceInput): Promise<ProcessInstance> {
  if (!input.process_definition_id === !input.process_definition_key) {
    throw invalid('Give exactly one of process_definition_key and process_definition_id');
  }
  const variables = toTypedValues(input.variables);
  return inTransaction(ctx, async (trx) => {
    const definition = input.process_definition_id === undefined
      ? await latestDefinition(trx, input.process_definition_key!, input.tenant_id)
      : await definitionById(trx, input.process_definition_id);
    return instanceView(await createInstance(ctx, trx, {
      definition, businessKey: input.business_key, variables, startedBy: input.started_by, tenantId: input.tenant_id,
    }));
  });
}

type StartableDefinition = { id: string; suspended: boolean; tenant_id: string | null };

/**
 * Without a tenant, a key names the definitions deployed for no tenant; failing those, the one tenant
 * that has the key (as Camunda 7 does). Several tenants make the key ambiguous.
 */
async function latestDefinition(trx: Transaction<Database>, key: string, tenantId: string | undefined): Promise<StartableDefinition> {
  let query = trx.selectFrom('process_definitions').select(['id', 'suspended', 'tenant_id']).where('key', '=', key);
  if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
  const rows = await query.orderBy(sql`tenant_id is null`, 'desc').orderBy('version', 'desc').execute();
  const first = rows[0];
  if (!first) throw notFound('Process definition with key', tenantId === undefined ? key : `${key}' of tenant '${tenantId}`);
  if (tenantId === undefined && first.tenant_id !== null && rows.some((r) => r.tenant_id !== first.tenant_id)) {
    throw conflict(`Process definition key '${key}' is deployed for several tenants: give tenant_id`);
  }
  return first;
}

async function definitionById(trx: Transaction<Database>, id: string): Promise<StartableDefinition> {
  const row = isEngineId(id)
    ? await trx.selectFrom('process_definitions').select(['id', 'suspended', 'tenant_id']).where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!row) throw notFound('Process definition', id);
  return row;
}

export async function createInstance(ctx: CommandContext, trx: Transaction<Database>, spec: NewInstance): Promise<InstanceState> {
  const definition = typeof spec.definition === 'string' ? await definitionById(trx, spec.definition) : spec.definition;
  if (definition.suspended) throw conflict(`Process definition '${definition.id}' is suspended: no instance can be started`);
  const { info, model } = await ctx.definitions.get(definition.id, trx);
  const startEventId = spec.startEventId ?? model.noneStartEvent;
  if (!startEventId) throw conflict(`Process '${model.id}' has no none start event: it starts by a message`);
  const id = newId();
  const now = ctx.now();
  const startedBy = spec.startedBy ?? ANONYMOUS;
  const state = new InstanceState({
    id, process_definition_id: info.id, process_definition_key: info.key, business_key: spec.businessKey ?? null,
    start_time: now, end_time: null, duration: null, status: 'active', started_by: startedBy,
    tenant_id: definition.tenant_id ?? spec.tenantId ?? null, super_instance_id: null, super_execution_id: null,
    root_instance_id: id, delete_reason: null, suspension_state: 'active', sequence_counter: 0,
  }, info, model, { isNew: true });
  const interpreter = new Interpreter(state, ctx.interpreter);
  interpreter.history.event('process_manager.instance.started', {
    instance_id: id, process_definition_key: info.key, business_key: spec.businessKey ?? undefined, started_by: startedBy,
    variables: Object.fromEntries([...spec.variables].map(([name, v]) => [name, v.value])),
  });
  interpreter.history.audit({ operation: 'Start', user_id: startedBy, activity_id: startEventId });
  interpreter.start(startEventId, spec.variables);
  await saveState(ctx, trx, state);
  return state;
}

// The state of an instance about to start: its definition checked (startable, with the start event
// asked for) and its row. Started by a client, a message, a signal, a timer, or a call activity.
import type { Transaction } from 'kysely';
import { conflict, notFound } from '../errors.js';
import { InstanceState, type InstanceRow } from '../execution/instance-state.js';
import type { Database } from '../persistence/database.js';
import { isEngineId, newId } from '../util/ids.js';
import type { TypedValue } from '../variables/variable-codec.js';
import type { CommandContext } from './command-context.js';

export const ANONYMOUS = 'anonymous';

export type StartableDefinition = { id: string; suspended: boolean; tenant_id: string | null };

export interface NewInstance {
  definition: StartableDefinition | string;
  /** the start event the first token enters (none start, or the message start that was triggered) */
  startEventId?: string;
  businessKey?: string | null;
  variables: ReadonlyMap<string, TypedValue>;
  startedBy?: string;
  tenantId?: string | null;
  /** the call activity's token that starts it, in the instance of its caller */
  calledBy?: { instance: Pick<InstanceRow, 'id' | 'root_instance_id'>; executionId: string };
}

export async function definitionById(trx: Transaction<Database>, id: string): Promise<StartableDefinition> {
  const row = isEngineId(id)
    ? await trx.selectFrom('process_definitions').select(['id', 'suspended', 'tenant_id']).where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!row) throw notFound('Process definition', id);
  return row;
}

/** the state of the new instance, and the start event its first token enters */
export async function newInstanceState(ctx: CommandContext, trx: Transaction<Database>, spec: NewInstance): Promise<{ state: InstanceState; startEventId: string }> {
  const definition = typeof spec.definition === 'string' ? await definitionById(trx, spec.definition) : spec.definition;
  if (definition.suspended) throw conflict(`Process definition '${definition.id}' is suspended: no instance can be started`);
  const { info, model } = await ctx.definitions.get(definition.id, trx);
  const startEventId = spec.startEventId ?? model.noneStartEvent;
  if (!startEventId) throw conflict(`Process '${model.id}' has no none start event: it starts by a message`);
  const id = newId();
  const state = new InstanceState({
    id, process_definition_id: info.id, process_definition_key: info.key, business_key: spec.businessKey ?? null,
    start_time: ctx.now(), end_time: null, duration: null, status: 'active', started_by: spec.startedBy ?? ANONYMOUS,
    tenant_id: definition.tenant_id ?? spec.tenantId ?? null,
    super_instance_id: spec.calledBy?.instance.id ?? null, super_execution_id: spec.calledBy?.executionId ?? null,
    root_instance_id: spec.calledBy?.instance.root_instance_id ?? id, delete_reason: null, suspension_state: 'active', sequence_counter: 0, removal_time: null,
  }, info, model, { isNew: true });
  return { state, startEventId };
}

// Message correlation: to waiting receive tasks and catch events, or to message start events. The
// delivery to every matched instance happens in one transaction, instances locked in the order of their
// roots (the lock of an instance is its root's), so that two deliveries never deadlock.
import { sql } from 'kysely';
import type { CorrelateMessageInput } from '../api/engine.js';
import type { MessageCorrelationResult } from '../api/types.js';
import { requireTenant } from '../access/acting-user.js';
import { inCallerTenants } from '../access/visible-rows.js';
import { conflict, EngineError, invalid } from '../errors.js';
import { isEngineId } from '../util/ids.js';
import { encodeVariable, toTypedValues, typedFromValue } from '../variables/variable-codec.js';
import type { CommandContext } from './command-context.js';
import { inTransaction, onInstance } from './run-command.js';
import { createInstance } from './start-instance.js';

export async function correlateMessage(ctx: CommandContext, input: CorrelateMessageInput): Promise<MessageCorrelationResult[]> {
  if (typeof input.message_name !== 'string' || !input.message_name) throw invalid('message_name is required');
  requireTenant(ctx.caller, input.tenant_id);
  const variables = toTypedValues(input.variables);
  if (input.process_instance_id !== undefined && !isEngineId(input.process_instance_id)) return noMatch(input);
  return inTransaction(ctx, async (trx) => {
    let waiting = trx.selectFrom('event_subscriptions as s')
      .innerJoin('process_instances as i', 'i.id', 's.process_instance_id')
      .select(['s.id', 's.process_instance_id', 's.activity_id'])
      .where('s.event_type', '=', 'message').where('s.event_name', '=', input.message_name)
      .where('i.suspension_state', '=', 'active')
      .where((eb) => eb.and(inCallerTenants('i.tenant_id', ctx.caller)));
    if (input.business_key !== undefined) waiting = waiting.where('i.business_key', '=', input.business_key);
    if (input.process_instance_id !== undefined) waiting = waiting.where('i.id', '=', input.process_instance_id);
    if (input.tenant_id !== undefined) waiting = waiting.where('i.tenant_id', '=', input.tenant_id);
    for (const [name, value] of Object.entries(input.correlation_keys ?? {})) {
      const text = encodeVariable(typedFromValue(value)).value_text!;
      const hashes = ctx.protection?.isProtected(name) ? ctx.protection.lookupHashes(name, text) : undefined;
      waiting = waiting.where(({ exists, selectFrom }) => exists(selectFrom('process_variables as v').select(sql.lit(1).as('one'))
        .whereRef('v.execution_id', '=', 'i.id').where('v.name', '=', name)
        .where((eb) => {
          // the index holds the value's hash (migration 0005)
          const clear = eb.and([eb(sql`md5(v.value_text)`, '=', sql<string>`md5(${text})`), eb('v.value_text', '=', text)]);
          // a protected value is stored encrypted, and found by its keyed hash under any key (migration 0006);
          // one written before its name was protected is in clear until the background encrypts it
          return hashes ? eb.or([eb('v.value_hash', 'in', hashes), clear]) : clear;
        })));
    }
    const subscriptions = await waiting.orderBy('i.root_instance_id').orderBy('s.process_instance_id').orderBy('s.created_at').execute();
    // a new instance cannot match an instance id or correlation keys; and, as in Camunda 7, a message for one
    // goes to the instance that waits for it, start events being tried only when none does
    const canStart = input.process_instance_id === undefined && !input.correlation_keys && (input.all || subscriptions.length === 0);
    let starts = canStart
      ? trx.selectFrom('event_subscriptions as s').innerJoin('process_definitions as d', 'd.id', 's.process_definition_id')
        .select(['s.process_definition_id', 's.activity_id', 'd.tenant_id'])
        .where('s.event_type', '=', 'message').where('s.event_name', '=', input.message_name)
        .where('s.process_instance_id', 'is', null).where('d.suspended', '=', false)
        .where((eb) => eb.and(inCallerTenants('d.tenant_id', ctx.caller)))
      : undefined;
    if (starts && input.tenant_id !== undefined) starts = starts.where('d.tenant_id', '=', input.tenant_id);
    const startEvents = starts ? await starts.execute() : [];
    const total = subscriptions.length + startEvents.length;
    if (total === 0) return noMatch(input);
    if (total > 1 && !input.all) {
      throw conflict(`Message '${input.message_name}' matches ${total} waiting instances or start events; correlate with more keys or set all`);
    }
    const results: MessageCorrelationResult[] = [];
    for (const sub of subscriptions) {
      await onInstance(ctx, trx, sub.process_instance_id!, (interpreter, state) => {
        const live = state.subscriptions.get(sub.id);
        if (!live?.execution_id) throw conflict(`Message '${input.message_name}' was consumed by a concurrent command`);
        if (!interpreter.deliver(live, variables, 'CorrelateMessage')) throw new Error(`subscription ${sub.id} has no execution`);
      });
      results.push({ process_instance_id: sub.process_instance_id!, activity_id: sub.activity_id });
    }
    for (const start of startEvents) {
      const state = await createInstance(ctx, trx, {
        definition: start.process_definition_id, startEventId: start.activity_id, businessKey: input.business_key,
        variables, tenantId: start.tenant_id,
      });
      results.push({ process_instance_id: state.instance.id, activity_id: start.activity_id });
    }
    return results;
  });
}

function noMatch(input: CorrelateMessageInput): never {
  throw new EngineError('NOT_FOUND', `No process instance or start event waits for message '${input.message_name}' with the given correlation`);
}

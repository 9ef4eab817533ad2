// Signals: a broadcast (POST /signals, or a signal throw event's job) reaches every signal catch event,
// boundary event and event-based gateway waiting for it in an active instance, and starts an instance of
// every latest definition with a signal start event of that name. Nothing waiting is no error. As a message
// delivered to all, it happens in one transaction, the instances locked in the order of their roots.
import type { Transaction } from 'kysely';
import type { SignalInput } from '../api/engine.js';
import type { MessageCorrelationResult } from '../api/types.js';
import { requireTenant } from '../access/acting-user.js';
import { inCallerTenants } from '../access/visible-rows.js';
import { invalid } from '../errors.js';
import type { Database } from '../persistence/database.js';
import { toTypedValues, type TypedValue } from '../variables/variable-codec.js';
import type { CommandContext } from './command-context.js';
import { inTransaction, onInstance } from './run-command.js';
import { createInstance } from './start-instance.js';

export async function broadcastSignal(ctx: CommandContext, input: SignalInput): Promise<MessageCorrelationResult[]> {
  if (typeof input.signal_name !== 'string' || !input.signal_name) throw invalid('signal_name is required');
  requireTenant(ctx.caller, input.tenant_id);
  const variables = toTypedValues(input.variables);
  return inTransaction(ctx, (trx) => deliverSignal(ctx, trx, { name: input.signal_name, variables, tenantId: input.tenant_id }));
}

export interface Signal {
  name: string;
  variables: Map<string, TypedValue>;
  /** only the instances and definitions of this tenant */
  tenantId?: string;
  /**
   * thrown inside a model (of `tenantId`'s instance): definitions deployed for no tenant start too, as
   * instances of that tenant (API.md: tenancy is inherited)
   */
  thrown?: boolean;
  /** the business key of the instances it starts (a throw event's camunda:in businessKey) */
  businessKey?: string;
  /** the instance that threw it, whose catchers it reached when it was thrown */
  thrownBy?: string;
  /**
   * when it was thrown: it reaches the catchers of other instances that were listening then, not those that
   * began to listen before its delivery ran
   */
  thrownAt?: Date;
}

/** delivers the signal within the transaction: to every waiting event, then to every signal start event */
export async function deliverSignal(ctx: CommandContext, trx: Transaction<Database>, signal: Signal): Promise<MessageCorrelationResult[]> {
  const { tenantId } = signal;
  let waiting = trx.selectFrom('event_subscriptions as s')
    .innerJoin('process_instances as i', 'i.id', 's.process_instance_id')
    .select(['s.id', 's.process_instance_id'])
    .where('s.event_type', '=', 'signal').where('s.event_name', '=', signal.name)
    .where('i.suspension_state', '=', 'active')
    .where((eb) => eb.and(inCallerTenants('i.tenant_id', ctx.caller)));
  if (tenantId !== undefined) waiting = waiting.where('i.tenant_id', '=', tenantId);
  if (signal.thrownBy !== undefined) waiting = waiting.where('i.id', '!=', signal.thrownBy);
  if (signal.thrownAt !== undefined) waiting = waiting.where('s.created_at', '<=', signal.thrownAt);
  let starts = trx.selectFrom('event_subscriptions as s').innerJoin('process_definitions as d', 'd.id', 's.process_definition_id')
    .select(['s.process_definition_id', 's.activity_id', 'd.tenant_id'])
    .where('s.event_type', '=', 'signal').where('s.event_name', '=', signal.name)
    .where('s.process_instance_id', 'is', null).where('d.suspended', '=', false)
    .where((eb) => eb.and(inCallerTenants('d.tenant_id', ctx.caller)));
  if (tenantId !== undefined) {
    starts = signal.thrown
      ? starts.where((eb) => eb.or([eb('d.tenant_id', '=', tenantId), eb('d.tenant_id', 'is', null)]))
      : starts.where('d.tenant_id', '=', tenantId);
  }
  const subscriptions = await waiting.orderBy('i.root_instance_id').orderBy('s.process_instance_id').orderBy('s.created_at').execute();
  const startEvents = await starts.orderBy('s.process_definition_id').execute();

  const byInstance = new Map<string, string[]>();
  for (const { id, process_instance_id } of subscriptions) {
    const ids = byInstance.get(process_instance_id!) ?? [];
    ids.push(id);
    byInstance.set(process_instance_id!, ids);
  }
  const results: MessageCorrelationResult[] = [];
  for (const [instanceId, ids] of byInstance) {
    await onInstance(ctx, trx, instanceId, (interpreter, state) => {
      for (const id of ids) {
        // an earlier event of this signal may have ended it: the race of an event-based gateway, an interrupted activity
        const live = state.subscriptions.get(id);
        if (live && interpreter.deliver(live, signal.variables, 'SignalEvent')) results.push({ process_instance_id: instanceId, activity_id: live.activity_id });
      }
    });
  }
  for (const start of startEvents) {
    const state = await createInstance(ctx, trx, {
      definition: start.process_definition_id, startEventId: start.activity_id, variables: signal.variables,
      businessKey: signal.businessKey, tenantId: start.tenant_id ?? tenantId ?? null,
    });
    results.push({ process_instance_id: state.instance.id, activity_id: start.activity_id });
  }
  return results;
}

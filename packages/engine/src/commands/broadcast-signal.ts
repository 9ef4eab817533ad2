// Signals: a broadcast reaches every signal catch event, boundary event and event-based gateway waiting for
// it in an active instance, and starts an instance of every latest definition with a signal start event of
// that name. Nothing waiting is no error. As a message delivered to all, it happens in one transaction, the
// instances locked in id order.
import type { SignalInput } from '../api/engine.js';
import type { MessageCorrelationResult } from '../api/types.js';
import { invalid } from '../errors.js';
import { toTypedValues } from '../variables/variable-codec.js';
import type { CommandContext } from './command-context.js';
import { inTransaction, onInstance } from './run-command.js';
import { createInstance } from './start-instance.js';

export async function broadcastSignal(ctx: CommandContext, input: SignalInput): Promise<MessageCorrelationResult[]> {
  if (typeof input.signal_name !== 'string' || !input.signal_name) throw invalid('signal_name is required');
  const variables = toTypedValues(input.variables);
  return inTransaction(ctx, async (trx) => {
    let waiting = trx.selectFrom('event_subscriptions as s')
      .innerJoin('process_instances as i', 'i.id', 's.process_instance_id')
      .select(['s.id', 's.process_instance_id'])
      .where('s.event_type', '=', 'signal').where('s.event_name', '=', input.signal_name)
      .where('i.suspension_state', '=', 'active');
    if (input.tenant_id !== undefined) waiting = waiting.where('i.tenant_id', '=', input.tenant_id);
    let starts = trx.selectFrom('event_subscriptions as s').innerJoin('process_definitions as d', 'd.id', 's.process_definition_id')
      .select(['s.process_definition_id', 's.activity_id', 'd.tenant_id'])
      .where('s.event_type', '=', 'signal').where('s.event_name', '=', input.signal_name)
      .where('s.process_instance_id', 'is', null).where('d.suspended', '=', false);
    if (input.tenant_id !== undefined) starts = starts.where('d.tenant_id', '=', input.tenant_id);
    const subscriptions = await waiting.orderBy('s.process_instance_id').orderBy('s.created_at').execute();
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
          // an earlier event of this broadcast may have ended it: the race of an event-based gateway, an interrupted activity
          const live = state.subscriptions.get(id);
          const token = live?.execution_id ? state.executions.get(live.execution_id) : undefined;
          if (!live || !token) continue;
          const event = state.model.elements.get(live.activity_id);
          // a non-interrupting boundary event goes on listening while its activity runs
          if (!(event?.kind === 'boundaryEvent' && !event.cancelActivity)) state.subscriptions.delete(live.id);
          interpreter.history.audit({ operation: 'SignalEvent', activity_id: live.activity_id, execution_id: token.id, new_value: input.signal_name });
          interpreter.trigger(token, live.activity_id, variables);
          results.push({ process_instance_id: instanceId, activity_id: live.activity_id });
        }
      });
    }
    for (const start of startEvents) {
      const state = await createInstance(ctx, trx, {
        definition: start.process_definition_id, startEventId: start.activity_id, variables, tenantId: start.tenant_id,
      });
      results.push({ process_instance_id: state.instance.id, activity_id: start.activity_id });
    }
    return results;
  });
}

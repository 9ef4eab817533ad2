// Conditional start events of processes, as Camunda 7 evaluates them (its condition evaluation, REST
// POST /condition): given variables, every latest definition whose conditional start event's condition
// holds for them starts an instance there, all in one transaction. A condition that cannot be evaluated
// with the variables does not hold, as a conditional event's in a running instance.
import { sql } from 'kysely';
import type { EvaluateConditionsInput } from '../api/engine.js';
import type { ProcessInstance } from '../api/types.js';
import { requireTenant } from '../access/acting-user.js';
import { inCallerTenants } from '../access/visible-rows.js';
import { evaluateCondition, ExpressionError } from '../expressions/index.js';
import { instanceView } from '../execution/instance-view.js';
import { invalid, notFound } from '../errors.js';
import { toTypedValues } from '../variables/variable-codec.js';
import type { CommandContext } from './command-context.js';
import { inTransaction } from './run-command.js';
import { createInstance } from './start-instance.js';

export async function startOnCondition(ctx: CommandContext, input: EvaluateConditionsInput): Promise<ProcessInstance[]> {
  requireTenant(ctx.caller, input.tenant_id);
  if (input.business_key !== undefined && typeof input.business_key !== 'string') throw invalid('business_key must be a string');
  const variables = toTypedValues(input.variables);
  const plain = Object.fromEntries([...variables].map(([name, v]) => [name, v.value]));
  return inTransaction(ctx, async (trx) => {
    let query = trx.selectFrom('event_subscriptions as s').innerJoin('process_definitions as d', 'd.id', 's.process_definition_id')
      .select(['s.process_definition_id', 's.activity_id', 'd.tenant_id', 'd.suspended'])
      .where('s.event_type', '=', 'conditional').where('s.process_instance_id', 'is', null)
      .where((eb) => eb.and(inCallerTenants('d.tenant_id', ctx.caller)));
    if (input.tenant_id !== undefined) query = query.where('d.tenant_id', '=', input.tenant_id);
    if (input.process_definition_id !== undefined) query = query.where('d.id', '=', input.process_definition_id);
    const starts = await query.orderBy(sql`d.key`).orderBy('s.activity_id').execute();
    if (!starts.length) throw notFound('Conditional start event of', input.process_definition_id ?? 'any deployed process');
    const started: ProcessInstance[] = [];
    for (const start of starts.filter((s) => !s.suspended)) {
      const { model } = await ctx.definitions.get(start.process_definition_id, trx);
      const definition = model.elements.get(start.activity_id)?.eventDefinition;
      if (definition?.kind !== 'conditional' || !holds(() => evaluateCondition(definition.condition, plain))) continue;
      const state = await createInstance(ctx, trx, {
        definition: start.process_definition_id, startEventId: start.activity_id, variables, businessKey: input.business_key,
        startedBy: input.started_by, tenantId: start.tenant_id,
      });
      started.push(instanceView(state));
    }
    return started;
  });
}

function holds(condition: () => boolean): boolean {
  try {
    return condition();
  } catch (e) {
    if (e instanceof ExpressionError) return false;
    throw e;
  }
}

// The decision history: GET /decision-instances and GET /decision-instances/{id}. What a decision saw
// and gave is everybody's work, so a caller who reads only its own (a plain user) may not read it.
import { sql, type ExpressionBuilder } from 'kysely';
import type { DecisionInstance, DecisionInstanceQuery } from '../api/decision-types.js';
import type { Page, VariableType } from '../api/types.js';
import { requireAllWork } from '../access/acting-user.js';
import { inCallerTenants } from '../access/visible-rows.js';
import { notFound } from '../errors.js';
import type { Database, Row } from '../persistence/database.js';
import { isEngineId } from '../util/ids.js';
import { inferType } from '../variables/variable-codec.js';
import { pageTotal, pageWindow, sortKey, timeParam, toPage } from './list-query.js';
import type { QueryContext } from './query-context.js';
import { iso, opt, optIso } from './wire-values.js';

const READING = 'read the decision history';

export async function listDecisionInstances(ctx: QueryContext, query: DecisionInstanceQuery = {}): Promise<Page<DecisionInstance>> {
  requireAllWork(ctx.caller, READING);
  const window = pageWindow(query);
  const filter = (eb: ExpressionBuilder<Database, 'decision_instances'>) => {
    const conditions = inCallerTenants('decision_instances.tenant_id', ctx.caller);
    const equal = {
      decision_key: query.decision_key, decision_definition_id: query.decision_id, process_instance_id: query.process_instance_id,
      activity_id: query.activity_id, root_decision_instance_id: query.root_decision_instance_id, tenant_id: query.tenant_id,
    } as const;
    for (const [column, value] of Object.entries(equal)) if (value !== undefined) conditions.push(eb(sql.ref(`decision_instances.${column}`), '=', value));
    if (query.root_only === true) conditions.push(eb('decision_instances.root_decision_instance_id', 'is', null));
    if (query.evaluated_after !== undefined) conditions.push(eb('decision_instances.evaluated_at', '>=', timeParam('evaluated_after', query.evaluated_after)));
    if (query.evaluated_before !== undefined) conditions.push(eb('decision_instances.evaluated_at', '<', timeParam('evaluated_before', query.evaluated_before)));
    return eb.and(conditions);
  };
  const sort = sortKey(query.sort, { evaluated_at: sql.ref('decision_instances.evaluated_at'), decision_key: sql.ref('decision_instances.decision_key') }, '-evaluated_at');
  const rows = await ctx.db.selectFrom('decision_instances').selectAll().where(filter)
    .orderBy(sort.expression, sort.direction).orderBy('decision_instances.id', sort.direction)
    .limit(window.limit).offset(window.offset).execute();
  const total = await pageTotal(window, rows.length, async () =>
    (await ctx.db.selectFrom('decision_instances').where(filter).select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow()).total);
  return toPage(rows.map(toDecisionInstance), total, window);
}

export async function getDecisionInstance(ctx: QueryContext, id: string): Promise<DecisionInstance> {
  requireAllWork(ctx.caller, READING);
  const row = isEngineId(id)
    ? await ctx.db.selectFrom('decision_instances').selectAll()
      .where((eb) => eb.and([eb('decision_instances.id', '=', id), ...inCallerTenants('decision_instances.tenant_id', ctx.caller)]))
      .executeTakeFirst()
    : undefined;
  if (!row) throw notFound('Decision instance', id);
  return toDecisionInstance(row);
}

function toDecisionInstance(row: Row<'decision_instances'>): DecisionInstance {
  return {
    id: row.id, decision_id: row.decision_definition_id, decision_key: row.decision_key, ...opt('decision_name', row.decision_name),
    version: row.decision_version, ...opt('root_decision_instance_id', row.root_decision_instance_id),
    ...opt('process_instance_id', row.process_instance_id), ...opt('process_definition_id', row.process_definition_id),
    ...opt('process_definition_key', row.process_definition_key), ...opt('activity_id', row.activity_id),
    ...opt('activity_instance_id', row.activity_instance_id), ...opt('tenant_id', row.tenant_id), evaluated_at: iso(row.evaluated_at),
    ...opt('user_id', row.user_id), inputs: typed(JSON.parse(row.inputs)), outputs: typed(JSON.parse(row.outputs)),
    ...(row.collect_result_value === null ? {} : { collect_result_value: JSON.parse(row.collect_result_value) }),
    ...optIso('removal_time', row.removal_time),
  };
}

/** each kept value with the type a variable of it would have (a masked value is text) */
const typed = <T extends { value: unknown }>(entries: T[]): (T & { type: VariableType })[] =>
  entries.map((entry) => ({ ...entry, type: inferType(entry.value) }));

// Deployed decisions: GET /decisions and GET /decisions/{id}.
import { sql, type ExpressionBuilder } from 'kysely';
import type { DecisionDefinition, DecisionQuery } from '../api/decision-types.js';
import type { Page } from '../api/types.js';
import { inCallerTenants } from '../access/visible-rows.js';
import type { Decision } from '../decisions/index.js';
import { notFound } from '../errors.js';
import type { Database, Row } from '../persistence/database.js';
import { isEngineId } from '../util/ids.js';
import { isLatestVersion } from './latest-version.js';
import { pageWindow, sortKey, toPage } from './list-query.js';
import type { QueryContext } from './query-context.js';
import { iso, opt } from './wire-values.js';

const LISTED = ['id', 'key', 'name', 'version', 'version_tag', 'decision_requirements_key', 'deployment_id', 'deployed_at', 'deployed_by', 'tenant_id', 'history_time_to_live'] as const;

type Listed = Pick<Row<'decision_definitions'>, (typeof LISTED)[number]>;

export async function listDecisions(ctx: QueryContext, query: DecisionQuery = {}): Promise<Page<DecisionDefinition>> {
  const window = pageWindow(query);
  const filter = (eb: ExpressionBuilder<Database, 'decision_definitions'>) => {
    const conditions = inCallerTenants('decision_definitions.tenant_id', ctx.caller);
    if (query.key !== undefined) conditions.push(eb('decision_definitions.key', '=', query.key));
    if (query.tenant_id !== undefined) conditions.push(eb('decision_definitions.tenant_id', '=', query.tenant_id));
    if (query.decision_requirements_key !== undefined) conditions.push(eb('decision_definitions.decision_requirements_key', '=', query.decision_requirements_key));
    if (query.latest === true) conditions.push(isLatestVersion('decision_definitions'));
    return eb.and(conditions);
  };
  const sort = sortKey(query.sort, {
    key: sql.ref('decision_definitions.key'),
    name: sql.ref('decision_definitions.name'),
    version: sql.ref('decision_definitions.version'),
    deployed_at: sql.ref('decision_definitions.deployed_at'),
  }, 'key');
  const [counted, rows] = await Promise.all([
    ctx.db.selectFrom('decision_definitions').where(filter).select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    ctx.db.selectFrom('decision_definitions').select(LISTED).where(filter)
      .orderBy(sort.expression, sort.direction).orderBy('decision_definitions.version', 'desc').orderBy('decision_definitions.id')
      .limit(window.limit).offset(window.offset).execute(),
  ]);
  return toPage(rows.map(toDecisionDefinition), counted.total, window);
}

/** One decision with its DMN and what it holds: its inputs, outputs and hit policy, or its literal expression. */
export async function getDecision(ctx: QueryContext, id: string): Promise<DecisionDefinition> {
  const row = isEngineId(id)
    ? await ctx.db.selectFrom('decision_definitions').select([...LISTED, 'dmn_xml'])
      .where((eb) => eb.and([eb('decision_definitions.id', '=', id), ...inCallerTenants('decision_definitions.tenant_id', ctx.caller)]))
      .executeTakeFirst()
    : undefined;
  if (!row) throw notFound('Decision definition', id);
  const deployed = await ctx.decisions.byId(ctx.db, id);
  return { ...toDecisionDefinition(row), dmn_xml: row.dmn_xml, ...(deployed ? describeDecision(deployed.decision) : {}) };
}

export function toDecisionDefinition(row: Listed): DecisionDefinition {
  return {
    id: row.id, key: row.key, ...opt('name', row.name), version: row.version, ...opt('version_tag', row.version_tag),
    ...opt('decision_requirements_key', row.decision_requirements_key), deployment_id: row.deployment_id,
    deployed_at: iso(row.deployed_at), deployed_by: row.deployed_by, ...opt('tenant_id', row.tenant_id),
    ...opt('history_time_to_live', row.history_time_to_live),
  };
}

function describeDecision(decision: Decision): Partial<DecisionDefinition> {
  const required = { required_decisions: [...decision.required] };
  const { logic } = decision;
  if (logic.kind === 'literal') return { decision_type: 'literal_expression', ...required };
  return {
    decision_type: 'table', hit_policy: logic.hitPolicy, ...opt('aggregation', logic.aggregation),
    inputs: logic.inputs.map((input) => ({ id: input.id, ...opt('label', input.label), expression: input.expression.source, ...opt('type_ref', input.typeRef) })),
    outputs: logic.outputs.map((output) => ({ id: output.id, name: output.name, ...opt('label', output.label), ...opt('type_ref', output.typeRef) })),
    ...required,
  };
}

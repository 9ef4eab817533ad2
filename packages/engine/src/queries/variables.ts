// Variables as the API shows them. A variable belongs to the scope execution holding it; the process
// scope's execution id is the process instance id.
import { isExpression, type Expression, type ExpressionBuilder } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { ProcessVariable } from '../api/types.js';
import type { Database } from '../persistence/database.js';
import { visibleInstances } from '../access/visible-rows.js';
import { notFound } from '../errors.js';
import { isEngineId } from '../util/ids.js';
import { byName } from '../variables/by-name.js';
import { decodeVariable, toProcessVariable } from '../variables/variable-codec.js';
import type { QueryContext } from './query-context.js';

export type VariableMap = Record<string, ProcessVariable>;

/** what reading variables needs: commands read them too, inside their transaction */
type VariableReader = Pick<QueryContext, 'db' | 'protection'>;

/** The variables of several scopes in one query, keyed by scope execution id (absent scopes map to `{}`). */
export async function variablesByScope(ctx: VariableReader, scopeIds: readonly string[]): Promise<Map<string, VariableMap>> {
  const byScope = new Map<string, VariableMap>(scopeIds.map((id) => [id, {}]));
  if (scopeIds.length === 0) return byScope;
  const rows = await ctx.db
    .selectFrom('process_variables')
    .select(['execution_id', 'name', 'type', 'value_text', 'value_info'])
    .where('execution_id', 'in', [...new Set(scopeIds)])
    .orderBy('name')
    .execute();
  for (const row of rows) {
    const scope = byScope.get(row.execution_id);
    if (scope) scope[row.name] = toProcessVariable(decodeVariable(ctx.protection ? ctx.protection.openVariable(row) : row));
  }
  return byScope;
}

/** The process-level variables of an instance (GET /instances/{id}/variables). */
export async function getVariables(ctx: QueryContext, instanceId: string): Promise<VariableMap> {
  const found = isEngineId(instanceId)
    ? await ctx.db.selectFrom('process_instances').select('id')
      .where((eb) => eb.and([eb('process_instances.id', '=', instanceId), ...visibleInstances(ctx.caller)])).executeTakeFirst()
    : undefined;
  if (!found) throw notFound('Process instance', instanceId);
  return (await variablesByScope(ctx, [instanceId])).get(instanceId) ?? {};
}

/** the rows that say what executions see: the scope tree of the instances and their variables */
export interface VisibilityRows {
  executions: { id: string; parent_id: string | null }[];
  variables: { execution_id: string; name: string; type: string; value_text: string | null; value_info: string | null }[];
}

/**
 * The subqueries of VisibilityRows for these instances (their ids, or a subquery answering them), as JSON
 * arrays, for a statement to carry beside others: one round trip reads the scope tree and the variables together.
 */
export function visibilityColumns(eb: ExpressionBuilder<Database, never>, instanceIds: readonly string[] | Expression<string>) {
  const ids = isExpression(instanceIds) ? instanceIds : [...new Set(instanceIds)];
  return [
    jsonArrayFrom(eb.selectFrom('executions').select(['id', 'parent_id']).where('process_instance_id', 'in', ids)).as('executions'),
    jsonArrayFrom(eb.selectFrom('process_variables').select(['execution_id', 'name', 'type', 'value_text', 'value_info'])
      .where('instance_id', 'in', ids)).as('variables'),
  ] as const;
}

/**
 * The variables an execution sees: its scope chain from the instance down to itself, the nearest scope
 * winning, sorted by name (byName: a fetched task lists them as one given to a handler at commit does).
 * Keyed by execution id. An execution that has ended sees its instance and its own scope.
 */
export async function visibleVariables(ctx: VariableReader, targets: readonly Target[]): Promise<Map<string, VariableMap>> {
  if (targets.length === 0) return new Map();
  const rows = await ctx.db.selectNoFrom((eb) => visibilityColumns(eb, targets.map((t) => t.instanceId))).executeTakeFirstOrThrow();
  return visibleFrom(ctx, targets, rows);
}

type Target = { instanceId: string; executionId: string };

/** what each target sees, from the rows of its instance */
export function visibleFrom(ctx: Pick<VariableReader, 'protection'>, targets: readonly Target[], rows: VisibilityRows): Map<string, VariableMap> {
  const parents = new Map(rows.executions.map((e) => [e.id, e.parent_id]));
  const byScope = new Map<string, VariableMap>();
  for (const row of rows.variables) {
    let scope = byScope.get(row.execution_id);
    if (!scope) byScope.set(row.execution_id, (scope = {}));
    scope[row.name] = toProcessVariable(decodeVariable(ctx.protection ? ctx.protection.openVariable(row) : row));
  }
  const out = new Map<string, VariableMap>();
  for (const { instanceId, executionId } of targets) {
    const chain: string[] = [];
    for (let id: string | null | undefined = executionId; id && !chain.includes(id); id = parents.get(id)) chain.unshift(id);
    if (chain[0] !== instanceId) chain.unshift(instanceId);
    const visible: VariableMap = Object.assign({}, ...chain.map((id) => byScope.get(id)));
    out.set(executionId, byName(Object.entries(visible)));
  }
  return out;
}

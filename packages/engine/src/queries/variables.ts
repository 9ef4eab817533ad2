// Variables as the API shows them. A variable belongs to the scope execution holding it; the process
// scope's execution id is the process instance id.
import type { ProcessVariable } from '../api/types.js';
import { notFound } from '../errors.js';
import { isEngineId } from '../util/ids.js';
import { decodeVariable, toProcessVariable } from '../variables/variable-codec.js';
import type { QueryContext } from './query-context.js';

export type VariableMap = Record<string, ProcessVariable>;

/** The variables of several scopes in one query, keyed by scope execution id (absent scopes map to `{}`). */
export async function variablesByScope(ctx: QueryContext, scopeIds: readonly string[]): Promise<Map<string, VariableMap>> {
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
    if (scope) scope[row.name] = toProcessVariable(decodeVariable(row));
  }
  return byScope;
}

/** The process-level variables of an instance (GET /instances/{id}/variables). */
export async function getVariables(ctx: QueryContext, instanceId: string): Promise<VariableMap> {
  const found = isEngineId(instanceId)
    ? await ctx.db.selectFrom('process_instances').select('id').where('id', '=', instanceId).executeTakeFirst()
    : undefined;
  if (!found) throw notFound('Process instance', instanceId);
  return (await variablesByScope(ctx, [instanceId])).get(instanceId) ?? {};
}

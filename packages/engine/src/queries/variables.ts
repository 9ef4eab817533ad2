// Variables as the API shows them. A variable belongs to the scope execution holding it; the process
// scope's execution id is the process instance id.
import type { ProcessVariable } from '../api/types.js';
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

/**
 * The variables an execution sees: its scope chain from the instance down to itself, the nearest scope
 * winning, sorted by name (byName: a fetched task lists them as one given to a handler at commit does).
 * Keyed by execution id. An execution that has ended sees its instance and its own scope.
 */
export async function visibleVariables(ctx: VariableReader, targets: readonly { instanceId: string; executionId: string }[]): Promise<Map<string, VariableMap>> {
  const out = new Map<string, VariableMap>();
  if (targets.length === 0) return out;
  const executions = await ctx.db.selectFrom('executions').select(['id', 'parent_id'])
    .where('process_instance_id', 'in', [...new Set(targets.map((t) => t.instanceId))]).execute();
  const parents = new Map(executions.map((e) => [e.id, e.parent_id]));
  const chains = targets.map(({ instanceId, executionId }) => {
    const chain: string[] = [];
    for (let id: string | null | undefined = executionId; id && !chain.includes(id); id = parents.get(id)) chain.unshift(id);
    if (chain[0] !== instanceId) chain.unshift(instanceId);
    return chain;
  });
  const variables = await variablesByScope(ctx, chains.flat());
  targets.forEach(({ executionId }, i) => {
    const visible: VariableMap = Object.assign({}, ...chains[i]!.map((id) => variables.get(id)));
    out.set(executionId, byName(Object.entries(visible)));
  });
  return out;
}

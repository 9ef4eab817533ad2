// Migrating running instances to another process definition (POST /migrations), all of them in one
// transaction: either every instance named is migrated, or none is and every problem of every instance is
// named. The mapping is the instructions given, else each element of the instance's process whose id the
// target has (as Camunda 7 generates a plan); the plan's variables are set on each instance migrated.
import type { MigrateInstancesInput, MigrationPlan, MigrationResult } from '../api/instance-changes.js';
import { seesTenant } from '../access/caller.js';
import { invalid, notFound } from '../errors.js';
import { equalElements, generatedPlan, migrationProblems, waitsForTrigger, type MigrationProblem } from '../execution/migration.js';
import { isEngineId } from '../util/ids.js';
import { toTypedValues } from '../variables/variable-codec.js';
import type { CommandContext } from './command-context.js';
import { requireRunning } from './instances.js';
import { inTransaction, onInstance } from './run-command.js';

/** instances one migration takes at most: one transaction holds them all */
const MAX_INSTANCES = 1000;

export async function migrateInstances(ctx: CommandContext, input: MigrateInstancesInput): Promise<MigrationResult> {
  const { target_definition_id: targetId, source_definition_id: sourceId, process_instance_ids: named, instructions } = input ?? {};
  if (typeof targetId !== 'string' || !isEngineId(targetId)) throw notFound('Process definition', String(targetId));
  if (!Array.isArray(named) || named.length === 0 || named.length > MAX_INSTANCES || named.some((id) => typeof id !== 'string')) {
    throw invalid(`process_instance_ids must list from 1 to ${MAX_INSTANCES} instance ids`);
  }
  const explicit = instructions === undefined ? undefined : mappingOf(instructions);
  const retrigger = new Set((instructions ?? []).filter((i) => i.update_event_trigger === true).map((i) => i.source_activity_id));
  const variables = toTypedValues(input.variables);
  const target = await ctx.definitions.get(targetId);
  if (target.info.tenant_id !== null && !seesTenant(ctx.caller, target.info.tenant_id)) throw notFound('Process definition', targetId);
  // locked in one order, so that two migrations of overlapping instances never deadlock
  const ids = [...new Set(named)].sort();
  return inTransaction(ctx, async (trx) => {
    const problems: (MigrationProblem & { process_instance_id: string })[] = [];
    for (const id of ids) {
      await onInstance(ctx, trx, id, (interpreter, state) => {
        requireRunning(state, 'be migrated');
        const found = [...tenantProblem(state.instance.tenant_id, target.info.tenant_id)];
        if (sourceId !== undefined && state.instance.process_definition_id !== sourceId) {
          found.push({ activity_id: null, message: `The instance is of the definition '${state.instance.process_definition_id}', not of the plan's source '${sourceId}'` });
        }
        const mapping = explicit ?? equalElements(state.model, target.model);
        found.push(...migrationProblems(state, target.model, mapping, retrigger));
        if (found.length) return void problems.push(...found.map((problem) => ({ process_instance_id: id, ...problem })));
        const from = state.instance.process_definition_id;
        interpreter.migrate(target, mapping, retrigger);
        for (const [name, value] of variables) interpreter.variables.setLocal(state.instance.id, name, value);
        interpreter.history.audit({ operation: 'Migrate', user_id: input.user_id ?? null, property: 'process_definition_id', org_value: from, new_value: targetId });
      });
    }
    if (problems.length) {
      const instances = new Set(problems.map((problem) => problem.process_instance_id)).size;
      throw invalid(`${instances} of the ${ids.length} instances cannot be migrated to '${targetId}': ${problems[0]!.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, { problems });
    }
    return { target_definition_id: targetId, process_instance_ids: ids };
  }, { alone: true });
}

function mappingOf(instructions: MigrateInstancesInput['instructions']): Map<string, string> {
  if (!Array.isArray(instructions)) throw invalid('instructions must be a list of { source_activity_id, target_activity_id }');
  const mapping = new Map<string, string>();
  instructions.forEach((instruction, index) => {
    const { source_activity_id: from, target_activity_id: to } = instruction ?? {};
    if (typeof from !== 'string' || typeof to !== 'string' || !from || !to) throw invalid(`Instruction ${index + 1} names no source_activity_id and target_activity_id`);
    if (mapping.has(from)) throw invalid(`Instruction ${index + 1}: '${from}' is mapped twice`);
    mapping.set(from, to);
  });
  return mapping;
}

/** an instance stays in its tenant: a definition of another tenant is no target for it (one of no tenant is) */
function tenantProblem(instanceTenant: string | null, targetTenant: string | null): MigrationProblem[] {
  return targetTenant === null || targetTenant === instanceTenant ? [] : [{ activity_id: null, message: `The target belongs to tenant '${targetTenant}', the instance to ${instanceTenant === null ? 'no tenant' : `tenant '${instanceTenant}'`}` }];
}

/**
 * Camunda's generated plan from one definition to another: the elements of the same id and kind; with
 * `updateEventTriggers`, each instruction between events that wait for a trigger updates it
 */
export async function migrationPlan(ctx: CommandContext, sourceId: string, targetId: string, updateEventTriggers = false): Promise<MigrationPlan> {
  const [source, target] = await Promise.all([sourceId, targetId].map(async (id) => {
    const found = isEngineId(id) ? await ctx.definitions.get(id) : undefined;
    if (!found || (found.info.tenant_id !== null && !seesTenant(ctx.caller, found.info.tenant_id))) throw notFound('Process definition', id);
    return found;
  }));
  const instructions = [...generatedPlan(source!.model, target!.model)].map(([from, to]) => ({
    source_activity_id: from, target_activity_id: to,
    ...(updateEventTriggers && waitsForTrigger(source!.model.elements.get(from)!) ? { update_event_trigger: true } : {}),
  }));
  return { source_definition_id: sourceId, target_definition_id: targetId, instructions };
}

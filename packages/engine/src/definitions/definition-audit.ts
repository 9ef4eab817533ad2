// Audit rows of what is done to process definitions. They belong to no instance; each names the
// definition, its key and tenant, so that the trail of a key outlives a deleted version.
import type { Transaction } from 'kysely';
import type { CommandContext } from '../commands/command-context.js';
import type { Database } from '../persistence/database.js';
import { newId } from '../util/ids.js';

export interface AuditedDefinition {
  id: string;
  key: string;
  tenant_id: string | null;
}

export interface DefinitionChange {
  /** SetJobDuedate: the due date of a timer start event's job, which belongs to its definition */
  operation: 'Deploy' | 'UpdateDefinition' | 'SuspendDefinition' | 'ActivateDefinition' | 'DeleteDefinition' | 'SetJobDuedate';
  user_id: string | null;
  property?: string;
  org_value?: string | null;
  new_value?: string | null;
}

/** One row per definition and change, written in the command's transaction; none below history level `audit`. */
export async function auditDefinitions(
  ctx: CommandContext,
  trx: Transaction<Database>,
  definitions: readonly AuditedDefinition[],
  changes: readonly DefinitionChange[],
): Promise<void> {
  if (ctx.historyLevel !== 'audit' && ctx.historyLevel !== 'full') return;
  const timestamp = ctx.now();
  const rows = definitions.flatMap((definition) => changes.map((change) => ({
    id: newId(), timestamp, process_instance_id: null, execution_id: null, task_id: null, activity_id: null,
    activity_name: null, activity_type: null, process_definition_id: definition.id, process_definition_key: definition.key,
    assignee: null, operation: change.operation, user_id: change.user_id, property: change.property ?? null,
    org_value: change.org_value ?? null, new_value: change.new_value ?? null, tenant_id: definition.tenant_id, removal_time: null,
  })));
  if (rows.length) await trx.insertInto('audit_log').values(rows).execute();
}

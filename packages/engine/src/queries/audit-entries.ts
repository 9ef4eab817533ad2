// Audit rows on the wire: the audit trail of an instance, and of the versions of a process definition.
import type { AuditEntry, DefinitionAuditEntry } from '../api/types.js';
import type { Row } from '../persistence/database.js';
import type { QueryContext } from './query-context.js';
import { iso, opt } from './wire-values.js';

const keepsAudit = (ctx: QueryContext) => ctx.historyLevel === 'audit' || ctx.historyLevel === 'full';

const toAuditEntry = (row: Row<'audit_log'>): AuditEntry => ({
  id: row.id,
  timestamp: iso(row.timestamp),
  operation: row.operation,
  ...opt('user_id', row.user_id),
  ...opt('task_id', row.task_id),
  ...opt('activity_id', row.activity_id),
  ...opt('activity_name', row.activity_name),
  ...opt('activity_type', row.activity_type),
  ...opt('execution_id', row.execution_id),
  ...opt('assignee', row.assignee),
  ...opt('property', row.property),
  ...opt('org_value', row.org_value),
  ...opt('new_value', row.new_value),
});

/** what was done to an instance, in order; empty below history level `audit` */
export async function auditTrailOf(ctx: QueryContext, instanceId: string): Promise<AuditEntry[]> {
  if (!keepsAudit(ctx)) return [];
  const rows = await ctx.db.selectFrom('audit_log').selectAll()
    .where('process_instance_id', '=', instanceId)
    .orderBy('seq')
    .execute();
  return rows.map((row) => toAuditEntry(ctx.protection ? ctx.protection.openAudit(row) : row));
}

/**
 * What was done to every version of a process key in one tenant (deployed, changed, suspended, deleted),
 * in order, so that a deleted version's entries stay readable from the others.
 */
export async function definitionAuditTrail(ctx: QueryContext, key: string, tenantId: string | null): Promise<DefinitionAuditEntry[]> {
  if (!keepsAudit(ctx)) return [];
  const rows = await ctx.db.selectFrom('audit_log').selectAll()
    .where('process_instance_id', 'is', null)
    .where('process_definition_key', '=', key)
    .where((eb) => (tenantId === null ? eb('tenant_id', 'is', null) : eb('tenant_id', '=', tenantId)))
    .orderBy('seq')
    .execute();
  return rows.map((row) => ({ ...toAuditEntry(row), process_definition_id: row.process_definition_id ?? '' }));
}

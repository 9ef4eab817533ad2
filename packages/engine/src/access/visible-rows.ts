// The SQL conditions that narrow a query to what a caller may see. Each answers a list to spread into a
// query's conditions: empty when the caller is not restricted, so unrestricted queries stay as they were.
import { sql, type Expression, type SqlBool } from 'kysely';
import { readsAllWork, tenantsOf, type Caller } from './caller.js';

type Condition = Expression<SqlBool>;

const tenantIn = (column: string, tenants: readonly string[]): Condition => {
  const ref = sql.ref(column);
  return tenants.length === 0 ? sql<SqlBool>`${ref} is null` : sql<SqlBool>`(${ref} is null or ${ref} in (${sql.join(tenants)}))`;
};

/** Rows of no tenant, or of one of the caller's tenants. */
export function inCallerTenants(column: string, caller: Caller | undefined): Condition[] {
  const tenants = tenantsOf(caller);
  return tenants ? [tenantIn(column, tenants)] : [];
}

/** Rows of a table without a tenant of its own, through the instance they belong to. */
export function ofInstanceInCallerTenants(instanceColumn: string, caller: Caller | undefined): Condition[] {
  const tenants = tenantsOf(caller);
  if (!tenants) return [];
  return [sql<SqlBool>`exists (select 1 from process_instances owner where owner.id = ${sql.ref(instanceColumn)} and ${tenantIn('owner.tenant_id', tenants)})`];
}

/** The task of `taskTable` names the caller as assignee, owner, candidate user, or one of its groups as candidate. */
function involves(taskTable: string, caller: Caller): Condition {
  const ref = (column: string) => sql.ref(`${taskTable}.${column}`);
  const byGroup = caller.groups.length === 0 ? sql`false` : sql`${ref('candidate_groups')} && array[${sql.join(caller.groups)}]::text[]`;
  return sql<SqlBool>`(${ref('assignee')} = ${caller.user_id} or ${ref('owner')} = ${caller.user_id}
    or ${ref('candidate_users')} @> array[${caller.user_id}]::text[] or ${byGroup})`;
}

/** Tasks of its tenants; for a plain user, only those it is involved in. */
export function visibleTasks(caller: Caller | undefined): Condition[] {
  const conditions = inCallerTenants('tasks.tenant_id', caller);
  if (caller && !readsAllWork(caller)) conditions.push(involves('tasks', caller));
  return conditions;
}

/** Instances of its tenants; for a plain user, only those it started or has a task in. */
export function visibleInstances(caller: Caller | undefined): Condition[] {
  const conditions = inCallerTenants('process_instances.tenant_id', caller);
  if (caller && !readsAllWork(caller)) {
    conditions.push(sql<SqlBool>`(process_instances.started_by = ${caller.user_id} or exists (
      select 1 from tasks own where own.process_instance_id = process_instances.id and ${involves('own', caller)}))`);
  }
  return conditions;
}

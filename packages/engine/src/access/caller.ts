// Who calls the engine, and what that lets it see and do. The engine has no notion of authentication:
// whoever embeds it (the REST server, from a verified token) says who the caller is. Without a caller,
// a call is unrestricted, as it was before callers existed.

/** The roles the engine itself interprets; others may exist and are ignored here. */
export type Role = 'admin' | 'deployer' | 'operator' | 'worker' | 'analyst';

export interface Caller {
  /** recorded as started_by, deployed_by, user_id and resolved_by of what it does */
  user_id: string;
  groups: readonly string[];
  roles: readonly string[];
  /**
   * The tenants whose resources it may use, besides those of no tenant; `'all'` for every tenant. An
   * `admin` sees every tenant whatever this says.
   */
  tenant_ids: readonly string[] | 'all';
}

export const hasRole = (caller: Caller, role: Role): boolean => caller.roles.includes(role);

/** The tenants a caller is limited to; undefined when it sees every tenant. */
export function tenantsOf(caller: Caller | undefined): readonly string[] | undefined {
  if (!caller || caller.tenant_ids === 'all' || hasRole(caller, 'admin')) return undefined;
  return caller.tenant_ids;
}

/** Whether a resource of the tenant (null: no tenant) exists for the caller. */
export function seesTenant(caller: Caller | undefined, tenantId: string | null | undefined): boolean {
  const tenants = tenantsOf(caller);
  return !tenants || tenantId === null || tenantId === undefined || tenants.includes(tenantId);
}

/**
 * Whether the caller reads every instance and task of its tenants; a plain user reads only its own
 * work: the tasks it is assignee, owner or candidate of, and the instances it started or has such a task in.
 */
export const readsAllWork = (caller: Caller | undefined): boolean =>
  !caller || (['admin', 'operator', 'analyst'] as const).some((role) => hasRole(caller, role));

/** Whether the caller may assign, claim or unclaim any task it sees, not only its own. */
export const managesTasks = (caller: Caller | undefined): boolean =>
  !caller || hasRole(caller, 'admin') || hasRole(caller, 'operator');

/** Whether the caller may name another user as the one doing what it does. */
export const actsForOthers = (caller: Caller | undefined): boolean => !caller || hasRole(caller, 'admin');

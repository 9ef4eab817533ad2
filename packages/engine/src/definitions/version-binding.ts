// Which deployed version a call activity or a business rule task takes, by its binding (Camunda 7's
// calledElementBinding and decisionRefBinding): the latest version, the one deployed with the calling
// process, a version number, or the latest with a version tag. It is looked up in the tenant named, else
// the caller's, where a version deployed for no tenant serves too; the caller's own tenant comes first.
import { sql, type Expression, type SqlBool } from 'kysely';

export interface VersionBinding {
  readonly binding: 'latest' | 'deployment' | 'version' | 'versionTag';
  readonly version?: number;
  readonly versionTag?: string;
  /** the tenant to look in; undefined: the caller's */
  readonly tenantId?: string | null;
}

/** who looks a version up: its tenant, and the definition of the calling process (none for a client's call) */
export interface Caller {
  readonly tenantId: string | null;
  readonly definitionId?: string;
}

/**
 * The conditions on a table of versions (`key`, `version`, `version_tag`, `tenant_id`, `deployment_id`),
 * and the order that puts the version the binding takes first.
 */
export function boundVersion(key: string, spec: VersionBinding, caller: Caller): { where: Expression<SqlBool>; orderBy: Expression<unknown> } {
  const conditions = [sql<SqlBool>`key = ${key}`];
  const tenant = spec.tenantId !== undefined ? spec.tenantId : caller.tenantId;
  if (tenant === null) conditions.push(sql<SqlBool>`tenant_id is null`);
  else if (spec.tenantId !== undefined) conditions.push(sql<SqlBool>`tenant_id = ${tenant}`);
  else conditions.push(sql<SqlBool>`(tenant_id = ${tenant} or tenant_id is null)`);
  switch (spec.binding) {
    case 'version':
      conditions.push(sql<SqlBool>`version = ${spec.version ?? -1}`);
      break;
    case 'versionTag':
      conditions.push(sql<SqlBool>`version_tag = ${spec.versionTag ?? ''}`);
      break;
    case 'deployment':
      conditions.push(caller.definitionId === undefined
        ? sql<SqlBool>`false`
        : sql<SqlBool>`deployment_id = (select deployment_id from process_definitions where id = ${caller.definitionId})`);
      break;
    case 'latest':
      break;
  }
  return { where: sql<SqlBool>`${sql.join(conditions, sql` and `)}`, orderBy: sql`tenant_id is null, version desc` };
}

/** why nothing was found: `The called process 'x' is not deployed in version 3 for tenant 't'` */
export function notBound(what: string, key: string, spec: VersionBinding, callerTenant: string | null): string {
  const tenant = spec.tenantId !== undefined ? spec.tenantId : callerTenant;
  return `${what} '${key}' is not deployed${describeBinding(spec)}${tenant === null ? '' : ` for tenant '${tenant}'`}`;
}

function describeBinding(spec: VersionBinding): string {
  switch (spec.binding) {
    case 'version':
      return ` in version ${spec.version}`;
    case 'versionTag':
      return ` with version tag '${spec.versionTag}'`;
    case 'deployment':
      return ' in the deployment of its caller';
    case 'latest':
      return '';
  }
}

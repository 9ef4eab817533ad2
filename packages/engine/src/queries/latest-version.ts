import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * The row is the latest version of its key in its tenant: versions count per key and tenant, the rows of
 * no tenant forming a tenant of their own.
 */
export const isLatestVersion = (table: 'process_definitions' | 'decision_definitions'): Expression<SqlBool> =>
  sql<SqlBool>`${sql.ref(`${table}.version`)} = (select max(newest.version) from ${sql.table(table)} newest
    where newest.key = ${sql.ref(`${table}.key`)} and coalesce(newest.tenant_id, '') = coalesce(${sql.ref(`${table}.tenant_id`)}, ''))`;

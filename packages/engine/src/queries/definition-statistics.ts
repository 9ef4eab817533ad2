// Camunda's process definition and activity statistics: per version, and per activity of one version, the
// running instances, the jobs with no retries left and the open incidents by type, of what the caller sees.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { ActivityStatistics, DefinitionStatistics, IncidentCount, StatisticsCounts } from '../api/definition-statistics.js';
import { readsAllWork, tenantsOf, type Caller } from '../access/caller.js';
import { inCallerTenants, visibleInstances } from '../access/visible-rows.js';
import { notFound } from '../errors.js';
import { isEngineId } from '../util/ids.js';
import { definitionRows, toDefinition } from './definitions.js';
import type { QueryContext } from './query-context.js';

type Condition = Expression<SqlBool>;

const RUNNING = ['active', 'suspended'];

const allOf = (conditions: Condition[]): Condition =>
  conditions.length === 0 ? sql<SqlBool>`true` : sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;

/**
 * The jobs or incidents the caller sees: those of the instances it sees, and, when it reads all the work of
 * its tenants, those of no instance (a timer start's).
 */
function visibleWork(table: 'jobs' | 'incidents', caller: Caller | undefined): Condition[] {
  if (!tenantsOf(caller) && readsAllWork(caller)) return [];
  const instance = sql.ref(`${table}.process_instance_id`);
  const ofNoInstance = readsAllWork(caller) ? sql<SqlBool>`(${instance} is null and ${allOf(inCallerTenants(`${table}.tenant_id`, caller))})` : sql<SqlBool>`false`;
  const seen = sql<SqlBool>`${instance} in (select process_instances.id from process_instances where ${allOf(visibleInstances(caller))})`;
  return [sql<SqlBool>`(${seen} or ${ofNoInstance})`];
}

/** the open incidents the options ask for; none when they ask for no incidents */
function incidentFilter(options: StatisticsCounts): Condition | undefined {
  if (!options.incidents && options.incident_type === undefined && !options.root_incidents) return undefined;
  const conditions: Condition[] = [sql<SqlBool>`incidents.status = 'open'`];
  if (options.incident_type !== undefined) conditions.push(sql<SqlBool>`incidents.incident_type = ${options.incident_type}`);
  if (options.root_incidents) conditions.push(sql<SqlBool>`coalesce(incidents.root_cause_incident_id, incidents.id) = incidents.id`);
  return allOf(conditions);
}

/** rows of (group, count) as a map */
const countsBy = (rows: { group: string | null; n: number }[]) => new Map(rows.map((r) => [r.group ?? '', r.n]));

/** rows of (group, incident type, count) as incident counts per group, types in name order */
function incidentsBy(rows: { group: string | null; incident_type: string; n: number }[]): Map<string, IncidentCount[]> {
  const byGroup = new Map<string, IncidentCount[]>();
  for (const r of [...rows].sort((a, b) => a.incident_type.localeCompare(b.incident_type))) {
    const group = r.group ?? '';
    byGroup.set(group, [...(byGroup.get(group) ?? []), { incident_type: r.incident_type, count: r.n }]);
  }
  return byGroup;
}

/** failed jobs and incidents grouped by `group` (a column of both tables), within `scope` */
async function failuresBy(ctx: QueryContext, group: 'process_definition_id' | 'activity_id', scope: (table: string) => Condition[], options: StatisticsCounts) {
  const incidents = incidentFilter(options);
  const [failed, open] = await Promise.all([
    options.failed_jobs
      ? sql<{ group: string | null; n: number }>`select ${sql.ref(`jobs.${group}`)} as "group", count(*)::int as n from jobs
          where jobs.retries = 0 and ${allOf([...scope('jobs'), ...visibleWork('jobs', ctx.caller)])} group by 1`.execute(ctx.db)
      : undefined,
    incidents
      ? sql<{ group: string | null; incident_type: string; n: number }>`select ${sql.ref(`incidents.${group}`)} as "group", incidents.incident_type, count(*)::int as n
          from incidents where ${allOf([incidents, ...scope('incidents'), ...visibleWork('incidents', ctx.caller)])} group by 1, 2`.execute(ctx.db)
      : undefined,
  ]);
  return { failedJobs: countsBy(failed?.rows ?? []), incidents: incidentsBy(open?.rows ?? []) };
}

/** Every version the caller sees, with none running too, in id order. */
export async function definitionStatistics(ctx: QueryContext, options: StatisticsCounts = {}): Promise<DefinitionStatistics[]> {
  const [definitions, running, failures] = await Promise.all([
    definitionRows(ctx).where((eb) => eb.and(inCallerTenants('process_definitions.tenant_id', ctx.caller))).orderBy('process_definitions.id').execute(),
    sql<{ group: string; n: number }>`select process_instances.process_definition_id as "group", count(*)::int as n from process_instances
      where process_instances.status in (${sql.join(RUNNING)}) and ${allOf(visibleInstances(ctx.caller))} group by 1`.execute(ctx.db),
    failuresBy(ctx, 'process_definition_id', () => [], options),
  ]);
  const instances = countsBy(running.rows);
  return definitions.map((row) => ({
    definition: toDefinition(row),
    instances: instances.get(row.id) ?? 0,
    failed_jobs: failures.failedJobs.get(row.id) ?? 0,
    incidents: failures.incidents.get(row.id) ?? [],
  }));
}

/**
 * The activities of a version with open activity instances (or, when asked, failed jobs or open incidents),
 * in id order. An activity instance within which another is open (a sub-process, a multi-instance body) is
 * not counted, as Camunda counts only the executions waiting at an activity. NOT_FOUND for a definition the
 * caller does not see.
 */
export async function activityStatistics(ctx: QueryContext, definitionId: string, options: StatisticsCounts = {}): Promise<ActivityStatistics[]> {
  const definition = isEngineId(definitionId)
    ? await ctx.db.selectFrom('process_definitions').select('process_definitions.id')
      .where((eb) => eb.and([eb('process_definitions.id', '=', definitionId), ...inCallerTenants('process_definitions.tenant_id', ctx.caller)]))
      .executeTakeFirst()
    : undefined;
  if (!definition) throw notFound('Process definition', definitionId);
  // through the version's instances and the index of their open activity instances
  const [waiting, failures] = await Promise.all([
    sql<{ group: string; n: number }>`select a.activity_id as "group", count(*)::int as n
      from process_instances join activity_instances a on a.process_instance_id = process_instances.id and a.end_time is null
      where process_instances.process_definition_id = ${definitionId} and process_instances.status in (${sql.join(RUNNING)})
        and ${allOf(visibleInstances(ctx.caller))}
        and not exists (select 1 from activity_instances inner_open where inner_open.process_instance_id = a.process_instance_id
          and inner_open.end_time is null and inner_open.parent_activity_instance_id = a.id)
      group by 1`.execute(ctx.db),
    failuresBy(ctx, 'activity_id', (table) => [sql<SqlBool>`${sql.ref(`${table}.process_definition_id`)} = ${definitionId}`, sql<SqlBool>`${sql.ref(`${table}.activity_id`)} is not null`], options),
  ]);
  const instances = countsBy(waiting.rows);
  const activities = new Set([...instances.keys(), ...failures.failedJobs.keys(), ...failures.incidents.keys()]);
  return [...activities].sort().map((activityId) => ({
    activity_id: activityId,
    instances: instances.get(activityId) ?? 0,
    failed_jobs: failures.failedJobs.get(activityId) ?? 0,
    incidents: failures.incidents.get(activityId) ?? [],
  }));
}

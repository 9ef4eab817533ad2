// Incidents with their history (GET /incidents, GET /incidents/{id}, and the incidents of an instance).
import type { ExpressionBuilder } from 'kysely';
import { sql } from 'kysely';
import type { IncidentQuery } from '../api/engine.js';
import type { Incident, IncidentAction, IncidentHistory, IncidentStatus, IncidentType, Page, ResolutionType } from '../api/types.js';
import { inCallerTenants } from '../access/visible-rows.js';
import { notFound } from '../errors.js';
import type { Database, Row } from '../persistence/database.js';
import { isEngineId } from '../util/ids.js';
import { pageWindow, sortKey, timeParam, toPage } from './list-query.js';
import type { QueryContext } from './query-context.js';
import { iso, opt } from './wire-values.js';

export async function listIncidents(ctx: QueryContext, query: IncidentQuery = {}): Promise<Page<Incident>> {
  const window = pageWindow(query);
  const createdAfter = query.created_after === undefined ? undefined : timeParam('created_after', query.created_after);
  const createdBefore = query.created_before === undefined ? undefined : timeParam('created_before', query.created_before);
  const filter = (eb: ExpressionBuilder<Database, 'incidents'>) => {
    const conditions = inCallerTenants('incidents.tenant_id', ctx.caller);
    if (query.id !== undefined) conditions.push(eb('incidents.id', '=', query.id));
    if (query.status !== undefined) conditions.push(eb('incidents.status', '=', query.status));
    if (query.incident_type !== undefined) conditions.push(eb('incidents.incident_type', '=', query.incident_type));
    if (query.incident_message !== undefined) conditions.push(eb('incidents.incident_message', '=', query.incident_message));
    if (query.process_instance_id !== undefined) conditions.push(eb('incidents.process_instance_id', '=', query.process_instance_id));
    if (query.process_definition_id !== undefined) conditions.push(eb('incidents.process_definition_id', '=', query.process_definition_id));
    if (query.process_definition_key !== undefined) {
      const ofKey = eb.selectFrom('process_definitions').select('process_definitions.id').where('process_definitions.key', '=', query.process_definition_key);
      conditions.push(eb('incidents.process_definition_id', 'in', ofKey));
    }
    if (query.execution_id !== undefined) conditions.push(eb('incidents.execution_id', '=', query.execution_id));
    if (query.activity_id !== undefined) conditions.push(eb('incidents.activity_id', '=', query.activity_id));
    if (query.cause_incident_id !== undefined) conditions.push(eb(eb.fn.coalesce('incidents.cause_incident_id', 'incidents.id'), '=', query.cause_incident_id));
    if (query.root_cause_incident_id !== undefined) {
      conditions.push(eb(eb.fn.coalesce('incidents.root_cause_incident_id', 'incidents.id'), '=', query.root_cause_incident_id));
    }
    if (query.configuration !== undefined) conditions.push(eb('incidents.configuration', '=', query.configuration));
    if (query.tenant_id !== undefined) conditions.push(eb('incidents.tenant_id', '=', query.tenant_id));
    if (createdAfter) conditions.push(eb('incidents.incident_timestamp', '>=', createdAfter));
    if (createdBefore) conditions.push(eb('incidents.incident_timestamp', '<', createdBefore));
    return eb.and(conditions);
  };
  const sort = sortKey(query.sort, {
    created: sql.ref('incidents.incident_timestamp'),
    incident_type: sql.ref('incidents.incident_type'),
    status: sql.ref('incidents.status'),
    activity_id: sql.ref('incidents.activity_id'),
  }, '-created');
  const [counted, rows] = await Promise.all([
    ctx.db.selectFrom('incidents').where(filter).select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    ctx.db.selectFrom('incidents').where(filter).selectAll()
      .orderBy(sort.expression, sort.direction).orderBy('incidents.id')
      .limit(window.limit).offset(window.offset).execute(),
  ]);
  return toPage(await withHistory(ctx, rows), counted.total, window);
}

export async function getIncident(ctx: QueryContext, id: string): Promise<Incident> {
  const row = isEngineId(id)
    ? await ctx.db.selectFrom('incidents').selectAll()
      .where((eb) => eb.and([eb('incidents.id', '=', id), ...inCallerTenants('incidents.tenant_id', ctx.caller)])).executeTakeFirst()
    : undefined;
  if (!row) throw notFound('Incident', id);
  const [incident] = await withHistory(ctx, [row]);
  return incident!;
}

/** The incidents of one process instance, oldest first. */
export async function incidentsOfInstance(ctx: QueryContext, instanceId: string): Promise<Incident[]> {
  const rows = await ctx.db.selectFrom('incidents').selectAll()
    .where('process_instance_id', '=', instanceId)
    .orderBy('incident_timestamp').orderBy('id')
    .execute();
  return withHistory(ctx, rows);
}

/** Maps incident rows to the wire, fetching the history of all of them in one query. */
async function withHistory(ctx: QueryContext, rows: Row<'incidents'>[]): Promise<Incident[]> {
  const history = new Map<string, IncidentHistory[]>(rows.map((r) => [r.id, []]));
  if (rows.length > 0) {
    const entries = await ctx.db.selectFrom('incident_history').selectAll()
      .where('incident_id', 'in', rows.map((r) => r.id))
      .orderBy('timestamp').orderBy('id')
      .execute();
    for (const e of entries) {
      history.get(e.incident_id)?.push({
        timestamp: iso(e.timestamp),
        action: e.action as IncidentAction,
        message: e.message,
        ...opt('user', e.user_id),
        ...opt('details', e.details === null ? null : (JSON.parse(e.details) as Record<string, unknown>)),
      });
    }
  }
  return rows.map((row) => toIncident(row, history.get(row.id) ?? []));
}

function toIncident(row: Row<'incidents'>, history: IncidentHistory[]): Incident {
  return {
    id: row.id,
    process_instance_id: row.process_instance_id ?? '',
    process_definition_id: row.process_definition_id ?? '',
    incident_type: row.incident_type as IncidentType,
    incident_message: row.incident_message ?? '',
    ...opt('activity_id', row.activity_id),
    ...opt('activity_name', row.activity_name),
    ...opt('execution_id', row.execution_id),
    ...opt('cause_incident_id', row.cause_incident_id),
    ...opt('root_cause_incident_id', row.root_cause_incident_id),
    ...opt('configuration', row.configuration),
    ...opt('tenant_id', row.tenant_id),
    ...opt('assignee', row.assignee),
    ...opt('annotation', row.annotation),
    created: iso(row.incident_timestamp),
    status: row.status as IncidentStatus,
    history,
    ...(row.status === 'resolved' && row.resolved_at !== null
      ? {
        resolution: {
          resolved_by: row.resolved_by ?? '',
          resolved_at: iso(row.resolved_at),
          resolution_type: (row.resolution_type ?? 'manual') as ResolutionType,
          resolution_message: row.resolution_message ?? '',
          // the engine records no corrective actions beyond the resolution itself
          corrective_actions: [],
        },
      }
      : {}),
  };
}

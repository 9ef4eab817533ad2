// The rows a period is about, narrowed to one process when the query names a key. Each function
// answers a query without a select list, for the caller to aggregate (and group) as it needs.
import { inCallerTenants, ofInstanceInCallerTenants } from '../../access/visible-rows.js';
import type { QueryContext } from '../query-context.js';
import type { Period } from './period.js';

export const instancesStartedIn = (ctx: QueryContext, p: Period) =>
  ctx.db.selectFrom('process_instances')
    .where((eb) => eb.and(inCallerTenants('process_instances.tenant_id', ctx.caller)))
    .where('process_instances.start_time', '>=', p.from)
    .where('process_instances.start_time', '<', p.to)
    .$if(p.key !== undefined, (qb) => qb.where('process_instances.process_definition_key', '=', p.key!));

/** Completed, terminated or externally terminated inside the period. */
export const instancesEndedIn = (ctx: QueryContext, p: Period) =>
  ctx.db.selectFrom('process_instances')
    .where((eb) => eb.and(inCallerTenants('process_instances.tenant_id', ctx.caller)))
    .where('process_instances.end_time', '>=', p.from)
    .where('process_instances.end_time', '<', p.to)
    .$if(p.key !== undefined, (qb) => qb.where('process_instances.process_definition_key', '=', p.key!));

export const tasksCreatedIn = (ctx: QueryContext, p: Period) =>
  ctx.db.selectFrom('tasks')
    .where((eb) => eb.and(inCallerTenants('tasks.tenant_id', ctx.caller)))
    .where('tasks.created', '>=', p.from)
    .where('tasks.created', '<', p.to)
    .$if(p.key !== undefined, (qb) => qb.where('tasks.process_definition_key', '=', p.key!));

/** Completed or cancelled inside the period. */
export const tasksEndedIn = (ctx: QueryContext, p: Period) =>
  ctx.db.selectFrom('tasks')
    .where((eb) => eb.and(inCallerTenants('tasks.tenant_id', ctx.caller)))
    .where('tasks.end_time', '>=', p.from)
    .where('tasks.end_time', '<', p.to)
    .$if(p.key !== undefined, (qb) => qb.where('tasks.process_definition_key', '=', p.key!));

export const incidentsRaisedIn = (ctx: QueryContext, p: Period) =>
  ctx.db.selectFrom('incidents')
    .where((eb) => eb.and(inCallerTenants('incidents.tenant_id', ctx.caller)))
    .where('incidents.incident_timestamp', '>=', p.from)
    .where('incidents.incident_timestamp', '<', p.to)
    // incidents carry the definition id, not the key
    .$if(p.key !== undefined, (qb) => qb.where((eb) => eb.exists(
      eb.selectFrom('process_definitions').select('process_definitions.id')
        .whereRef('process_definitions.id', '=', 'incidents.process_definition_id')
        .where('process_definitions.key', '=', p.key!),
    )));

/** Activity instances entered inside the period. */
export const activitiesStartedIn = (ctx: QueryContext, p: Period) =>
  ctx.db.selectFrom('activity_instances')
    .where((eb) => eb.and(ofInstanceInCallerTenants('activity_instances.process_instance_id', ctx.caller)))
    .where('activity_instances.start_time', '>=', p.from)
    .where('activity_instances.start_time', '<', p.to)
    .$if(p.key !== undefined, (qb) => qb.where('activity_instances.process_definition_key', '=', p.key!));

/** Activity instances finished inside the period. */
export const activitiesEndedIn = (ctx: QueryContext, p: Period) =>
  ctx.db.selectFrom('activity_instances')
    .where((eb) => eb.and(ofInstanceInCallerTenants('activity_instances.process_instance_id', ctx.caller)))
    .where('activity_instances.end_time', '>=', p.from)
    .where('activity_instances.end_time', '<', p.to)
    .$if(p.key !== undefined, (qb) => qb.where('activity_instances.process_definition_key', '=', p.key!));

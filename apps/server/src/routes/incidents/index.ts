// /incidents: problems that stopped a token, their resolution and escalation.
import type { IncidentQuery, ResolveIncidentInput } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { actingUser } from '../../identity.js';
import { requireEngineIdParam } from '../id-param.js';
import { escalateSchema, getSchema, listSchema, resolveSchema } from './schemas.js';

type Id = { id: string };

export async function incidentRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preValidation', requireEngineIdParam('Incident'));

  app.get<{ Querystring: IncidentQuery }>('', { config: { permission: 'incidents:read' }, schema: listSchema }, async (request) => request.engine.listIncidents(request.query));

  app.get<{ Params: Id }>('/:id', { config: { permission: 'incidents:read' }, schema: getSchema }, async (request) => request.engine.getIncident(request.params.id));

  app.post<{ Params: Id; Body: ResolveIncidentInput }>('/:id/resolve', { config: { permission: 'incidents:operate' }, schema: resolveSchema }, async (request) =>
    request.engine.resolveIncident(request.params.id, { ...request.body, resolved_by: actingUser(request, request.body.resolved_by) }));

  app.post<{ Params: Id; Body: { message?: string; assignee?: string; user_id?: string } | null }>(
    '/:id/escalate',
    { config: { permission: 'incidents:operate' }, schema: escalateSchema },
    async (request) => request.engine.escalateIncident(request.params.id, {
      ...request.body,
      user_id: actingUser(request, request.body?.user_id),
    }),
  );
}

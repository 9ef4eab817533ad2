// /incidents: problems that stopped a token, their resolution and escalation.
import type { IncidentQuery, ResolveIncidentInput } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../auth/permissions.js';
import { actingUser } from '../../identity.js';
import { requireEngineIdParam } from '../id-param.js';
import { escalateSchema, getSchema, listSchema, resolveSchema } from './schemas.js';

const mayRead = permit('incidents:read');
const mayOperate = permit('incidents:operate');

type Id = { id: string };

export async function incidentRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preValidation', requireEngineIdParam('Incident'));

  app.get<{ Querystring: IncidentQuery }>('', { config: mayRead, schema: listSchema }, async (request) =>
    request.engine.listIncidents(request.query));

  app.get<{ Params: Id }>('/:id', { config: mayRead, schema: getSchema }, async (request) => request.engine.getIncident(request.params.id));

  app.post<{ Params: Id; Body: ResolveIncidentInput }>('/:id/resolve', { config: mayOperate, schema: resolveSchema }, async (request) =>
    request.engine.resolveIncident(request.params.id, { ...request.body, resolved_by: actingUser(request, request.body.resolved_by) }));

  app.post<{ Params: Id; Body: { message?: string; assignee?: string; user_id?: string } | null }>(
    '/:id/escalate',
    { config: mayOperate, schema: escalateSchema },
    async (request) => request.engine.escalateIncident(request.params.id, {
      ...request.body,
      user_id: actingUser(request, request.body?.user_id),
    }),
  );
}

// /jobs: timers, async continuations and engine-run service calls; run one now, set its retries or its due date.
import type { JobQuery } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../auth/permissions.js';
import { requireEngineIdParam } from '../id-param.js';
import { actingUser } from '../../identity.js';
import { dueDateSchema, executeSchema, getSchema, listSchema, retriesSchema } from './schemas.js';

const mayRead = permit('jobs:read');
const mayOperate = permit('jobs:operate');

type Id = { id: string };

export async function jobRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preValidation', requireEngineIdParam('Job'));

  app.get<{ Querystring: JobQuery }>('', { config: mayRead, schema: listSchema }, async (request) => request.engine.listJobs(request.query));

  app.get<{ Params: Id }>('/:id', { config: mayRead, schema: getSchema }, async (request) => request.engine.getJob(request.params.id));

  app.post<{ Params: Id }>('/:id/execute', { config: mayOperate, schema: executeSchema }, async (request, reply) => {
    await request.engine.executeJob(request.params.id);
    return reply.code(204).send();
  });

  app.put<{ Params: Id; Body: { retries: number } }>('/:id/retries', { config: mayOperate, schema: retriesSchema }, async (request) =>
    request.engine.setJobRetries(request.params.id, request.body.retries));

  app.put<{ Params: Id; Body: { due_at: string | null } }>('/:id/due-date', { config: mayOperate, schema: dueDateSchema }, async (request) =>
    request.engine.setJobDueDate(request.params.id, request.body.due_at, { user_id: actingUser(request, undefined) }));
}

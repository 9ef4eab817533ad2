// /jobs: timers, async continuations and engine-run service calls; run one now or set its retries.
import type { JobQuery } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { requireEngineIdParam } from '../id-param.js';
import { executeSchema, getSchema, listSchema, retriesSchema } from './schemas.js';

type Id = { id: string };

export async function jobRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preValidation', requireEngineIdParam('Job'));

  app.get<{ Querystring: JobQuery }>('', { config: { permission: 'jobs:read' }, schema: listSchema }, async (request) => request.engine.listJobs(request.query));

  app.get<{ Params: Id }>('/:id', { config: { permission: 'jobs:read' }, schema: getSchema }, async (request) => request.engine.getJob(request.params.id));

  app.post<{ Params: Id }>('/:id/execute', { config: { permission: 'jobs:operate' }, schema: executeSchema }, async (request, reply) => {
    await request.engine.executeJob(request.params.id);
    return reply.code(204).send();
  });

  app.put<{ Params: Id; Body: { retries: number } }>('/:id/retries', { config: { permission: 'jobs:operate' }, schema: retriesSchema }, async (request) =>
    request.engine.setJobRetries(request.params.id, request.body.retries));
}

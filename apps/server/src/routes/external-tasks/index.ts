// /external-tasks: service tasks worked by workers outside the engine (fetch-and-lock, complete, failure,
// BPMN error, extend lock) and their list.
import type { ExternalTaskQuery, FetchAndLockInput, VariablesInput } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { requireEngineIdParam } from '../id-param.js';
import { bpmnErrorSchema, completeSchema, extendLockSchema, failureSchema, fetchAndLockSchema, listSchema } from './schemas.js';

type Id = { id: string };
type Worker = { worker_id: string };

export async function externalTaskRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preValidation', requireEngineIdParam('External task'));

  app.post<{ Body: FetchAndLockInput }>('/fetch-and-lock', { schema: fetchAndLockSchema }, async (request) =>
    app.engine.fetchAndLock(request.body));

  app.get<{ Querystring: ExternalTaskQuery }>('', { schema: listSchema }, async (request) =>
    app.engine.listExternalTasks(request.query));

  app.post<{ Params: Id; Body: Worker & { variables?: VariablesInput } }>('/:id/complete', { schema: completeSchema }, async (request, reply) => {
    await app.engine.completeExternalTask(request.params.id, request.body);
    return reply.code(204).send();
  });

  app.post<{ Params: Id; Body: Worker & { error_message: string; error_details?: string; retries: number; retry_timeout?: number } }>(
    '/:id/failure',
    { schema: failureSchema },
    async (request, reply) => {
      await app.engine.failExternalTask(request.params.id, request.body);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: Id; Body: Worker & { error_code: string; error_message?: string; variables?: VariablesInput } }>(
    '/:id/bpmn-error',
    { schema: bpmnErrorSchema },
    async (request, reply) => {
      await app.engine.bpmnErrorExternalTask(request.params.id, request.body);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: Id; Body: Worker & { new_duration: number } }>('/:id/extend-lock', { schema: extendLockSchema }, async (request, reply) => {
    await app.engine.extendExternalTaskLock(request.params.id, request.body);
    return reply.code(204).send();
  });
}

// /external-tasks: service tasks worked by workers outside the engine (fetch-and-lock, complete, failure,
// BPMN error, extend lock) and their list.
import type { ExternalTaskQuery, FetchAndLockInput, VariablesInput } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../auth/permissions.js';
import { requireEngineIdParam } from '../id-param.js';
import { bpmnErrorSchema, completeSchema, extendLockSchema, failureSchema, fetchAndLockSchema, listSchema } from './schemas.js';

const mayWork = permit('external-tasks:work');
const mayRead = permit('external-tasks:read');

type Id = { id: string };
type Worker = { worker_id: string };

export async function externalTaskRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preValidation', requireEngineIdParam('External task'));

  app.post<{ Body: FetchAndLockInput }>('/fetch-and-lock', { config: mayWork, schema: fetchAndLockSchema }, async (request) =>
    request.engine.fetchAndLock(request.body));

  app.get<{ Querystring: ExternalTaskQuery }>('', { config: mayRead, schema: listSchema }, async (request) =>
    request.engine.listExternalTasks(request.query));

  app.post<{ Params: Id; Body: Worker & { variables?: VariablesInput } }>(
    '/:id/complete',
    { config: mayWork, schema: completeSchema },
    async (request, reply) => {
      await request.engine.completeExternalTask(request.params.id, request.body);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: Id; Body: Worker & { error_message: string; error_details?: string; retries: number; retry_timeout?: number } }>(
    '/:id/failure',
    { config: mayWork, schema: failureSchema },
    async (request, reply) => {
      await request.engine.failExternalTask(request.params.id, request.body);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: Id; Body: Worker & { error_code: string; error_message?: string; variables?: VariablesInput } }>(
    '/:id/bpmn-error',
    { config: mayWork, schema: bpmnErrorSchema },
    async (request, reply) => {
      await request.engine.bpmnErrorExternalTask(request.params.id, request.body);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: Id; Body: Worker & { new_duration: number } }>(
    '/:id/extend-lock',
    { config: mayWork, schema: extendLockSchema },
    async (request, reply) => {
      await request.engine.extendExternalTaskLock(request.params.id, request.body);
      return reply.code(204).send();
    },
  );
}

// Camunda 7's REST endpoints for external task workers (`/engine-rest/external-task/…`), so that workers
// written for Camunda 7 (its JavaScript and Java clients, or plain HTTP) work this engine's service tasks
// unchanged: fetch and lock (with long polling), complete, failure, BPMN error and extend lock; and the
// rest of the resource (external-task-runtime.ts).
import type { FastifyInstance } from 'fastify';
import { permit } from '../../auth/permissions.js';
import { assertEngineId } from '../id-param.js';
import { camundaLockedTask } from './external-task-dto.js';
import { camundaExternalTaskRuntimeRoutes } from './external-task-runtime.js';
import { engineFetch, fetchWithin, type CamundaFetch } from './fetch-and-lock.js';
import { bpmnErrorSchema, completeSchema, extendLockSchema, failureSchema, fetchAndLockSchema } from './schemas.js';
import { fromCamundaVariables, type CamundaTypedValue } from './typed-values.js';
import { refuseUnsupported } from './unsupported-options.js';

const mayWork = permit('external-tasks:work');

type Id = { id: string };
type Variables = Record<string, CamundaTypedValue>;

/** how long a fetch may wait for tasks at most, whatever it asks */
const LONGEST_POLL_MS = 60_000;

export async function camundaExternalTaskRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preValidation', async (request) => assertEngineId('External task', (request.params as Partial<Id>).id));

  app.post<{ Body: CamundaFetch }>('/fetchAndLock', { config: mayWork, schema: fetchAndLockSchema }, async (request, reply) => {
    const input = engineFetch(request.body);
    // the answer closes before it is sent only when the worker went away: what it would lock, nobody would work
    const gone = new AbortController();
    reply.raw.once('close', () => gone.abort());
    const timeout = Math.min(request.body.asyncResponseTimeout ?? 0, LONGEST_POLL_MS);
    return (await fetchWithin(request.engine, input, timeout, gone.signal)).map(camundaLockedTask);
  });

  app.post<{ Params: Id; Body: { workerId: string; variables?: Variables | null; localVariables?: Variables | null } }>(
    '/:id/complete',
    { config: mayWork, schema: completeSchema },
    async (request, reply) => {
      refuseUnsupported(request.body, ['localVariables']);
      const { workerId, variables } = request.body;
      await request.engine.completeExternalTask(request.params.id, { worker_id: workerId, variables: fromCamundaVariables(variables ?? undefined) });
      return reply.code(204).send();
    },
  );

  app.post<{ Params: Id; Body: { workerId: string; errorMessage?: string | null; errorDetails?: string | null; retries?: number | null; retryTimeout?: number | null } }>(
    '/:id/failure',
    { config: mayWork, schema: failureSchema },
    async (request, reply) => {
      const { workerId, errorMessage, errorDetails, retries, retryTimeout } = request.body;
      await request.engine.failExternalTask(request.params.id, {
        worker_id: workerId, error_message: errorMessage ?? '', retries: retries ?? 0,
        ...(errorDetails != null ? { error_details: errorDetails } : {}), ...(retryTimeout != null ? { retry_timeout: retryTimeout } : {}),
      });
      return reply.code(204).send();
    },
  );

  app.post<{ Params: Id; Body: { workerId: string; errorCode: string; errorMessage?: string | null; variables?: Variables | null } }>(
    '/:id/bpmnError',
    { config: mayWork, schema: bpmnErrorSchema },
    async (request, reply) => {
      const { workerId, errorCode, errorMessage, variables } = request.body;
      await request.engine.bpmnErrorExternalTask(request.params.id, {
        worker_id: workerId, error_code: errorCode, ...(errorMessage != null ? { error_message: errorMessage } : {}),
        variables: fromCamundaVariables(variables ?? undefined),
      });
      return reply.code(204).send();
    },
  );

  app.post<{ Params: Id; Body: { workerId: string; newDuration: number } }>(
    '/:id/extendLock',
    { config: mayWork, schema: extendLockSchema },
    async (request, reply) => {
      await request.engine.extendExternalTaskLock(request.params.id, { worker_id: request.body.workerId, new_duration: request.body.newDuration });
      return reply.code(204).send();
    },
  );

  await app.register(camundaExternalTaskRuntimeRoutes);
}

// Camunda 7's external task resource beyond the worker's commands (external-tasks.ts): the tasks listed
// and counted, by a query string or a body, one task read, locked by its id, its lock released and its
// retries set. On this resource Camunda answers a task that does not exist with a 404 `RestException` naming it.
import { EngineError } from '@dadms/process-engine';
import type { FastifyError, FastifyInstance } from 'fastify';
import { permit } from '../../auth/permissions.js';
import { actingUser } from '../../identity.js';
import { isEngineErrorOf } from './camunda-not-found.js';
import { postedSort, type PostedSorting } from './camunda-query.js';
import { camundaExternalTask } from './external-task-dto.js';
import { externalTaskCount, externalTaskPage, type CamundaExternalTaskQuery } from './external-task-query.js';
import {
  externalTaskCountSchema, externalTaskListSchema, externalTaskQueryCountSchema, externalTaskQuerySchema, externalTaskSchema, lockSchema, retriesSchema, unlockSchema,
} from './external-task-schemas.js';
import type { CamundaPaging } from './paging.js';

type Id = { id: string };
type PostedQuery = CamundaExternalTaskQuery & PostedSorting;

const mayRead = permit('external-tasks:read');
// Camunda's worker clients give a task back with unlock, as they complete it, and take one they know the id of with lock
const mayWork = permit('external-tasks:work');
// retries are how an operator retries a task that ran out of them: they open and resolve its incident
const mayOperate = permit('incidents:operate');

export async function camundaExternalTaskRuntimeRoutes(app: FastifyInstance): Promise<void> {
  app.setErrorHandler(async (err: FastifyError, request, reply) => {
    const { id } = request.params as Partial<Id>;
    if (id === undefined || !isEngineErrorOf(err, 'NOT_FOUND')) throw err;
    return reply.code(404).send({ type: 'RestException', message: `External task with id ${id} does not exist` });
  });

  app.get<{ Querystring: CamundaExternalTaskQuery & CamundaPaging }>('', { config: mayRead, schema: externalTaskListSchema }, async (request) =>
    (await externalTaskPage(request.engine, request.query, request.query)).map(camundaExternalTask));

  app.post<{ Querystring: CamundaPaging; Body: PostedQuery | null }>('', { config: mayRead, schema: externalTaskQuerySchema }, async (request) => {
    const query = request.body ?? {};
    return (await externalTaskPage(request.engine, query, { ...request.query, ...postedSort(query) })).map(camundaExternalTask);
  });

  app.get<{ Querystring: CamundaExternalTaskQuery }>('/count', { config: mayRead, schema: externalTaskCountSchema }, async (request) =>
    externalTaskCount(request.engine, request.query));

  app.post<{ Body: PostedQuery | null }>('/count', { config: mayRead, schema: externalTaskQueryCountSchema }, async (request) =>
    externalTaskCount(request.engine, request.body ?? {}));

  app.get<{ Params: Id }>('/:id', { config: mayRead, schema: externalTaskSchema }, async (request) =>
    camundaExternalTask(await request.engine.getExternalTask(request.params.id)));

  app.post<{ Params: Id; Body: { workerId: string; lockDuration: number } }>('/:id/lock', { config: mayWork, schema: lockSchema }, async (request, reply) => {
    await request.engine.lockExternalTask(request.params.id, { worker_id: request.body.workerId, lock_duration: request.body.lockDuration });
    return reply.code(204).send();
  });

  app.post<{ Params: Id }>('/:id/unlock', { config: mayWork, schema: unlockSchema }, async (request, reply) => {
    await request.engine.unlockExternalTask(request.params.id, { user_id: actingUser(request, undefined) });
    return reply.code(204).send();
  });

  app.put<{ Params: Id; Body: { retries?: number | null } }>('/:id/retries', { config: mayOperate, schema: retriesSchema }, async (request, reply) => {
    const { retries } = request.body;
    if (retries === undefined || retries === null) throw new EngineError('VALIDATION_ERROR', 'The number of retries cannot be null.');
    await request.engine.setExternalTaskRetries(request.params.id, retries, { user_id: actingUser(request, undefined) });
    return reply.code(204).send();
  });
}

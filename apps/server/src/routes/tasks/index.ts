// /tasks: user tasks — list, read, claim, unclaim, assign, delegate, resolve, complete — and their statistics.
import type { StatisticsQuery, TaskQuery, VariablesInput } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { actingUser } from '../../identity.js';
import { requireEngineIdParam } from '../id-param.js';
import {
  assignSchema, claimSchema, completeSchema, delegateSchema, getSchema, listSchema, resolveSchema, statisticsSchema,
  unclaimSchema,
} from './schemas.js';

type Id = { id: string };
type UserBody = { user_id?: string } | null;
type VariablesBody = { variables?: VariablesInput; user_id?: string } | null;

export async function taskRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preValidation', requireEngineIdParam('Task'));

  app.get<{ Querystring: TaskQuery }>('', { schema: listSchema }, async (request) => app.engine.listTasks(request.query));

  // A static segment wins over `/:id` in Fastify's router whatever the registration order.
  app.get<{ Querystring: StatisticsQuery }>('/statistics', { schema: statisticsSchema }, async (request) =>
    app.engine.taskStatistics(request.query));

  app.get<{ Params: Id }>('/:id', { schema: getSchema }, async (request) => app.engine.getTask(request.params.id));

  app.post<{ Params: Id; Body: { user_id: string } }>('/:id/claim', { schema: claimSchema }, async (request) =>
    app.engine.claimTask(request.params.id, request.body.user_id));

  app.post<{ Params: Id; Body: UserBody }>('/:id/unclaim', { schema: unclaimSchema }, async (request) =>
    app.engine.unclaimTask(request.params.id, { user_id: actingUser(request.body?.user_id) }));

  app.post<{ Params: Id; Body: { user_id: string | null } }>('/:id/assign', { schema: assignSchema }, async (request) =>
    app.engine.assignTask(request.params.id, request.body.user_id));

  app.post<{ Params: Id; Body: { user_id: string } }>('/:id/delegate', { schema: delegateSchema }, async (request) =>
    app.engine.delegateTask(request.params.id, request.body.user_id));

  app.post<{ Params: Id; Body: VariablesBody }>('/:id/resolve', { schema: resolveSchema }, async (request) =>
    app.engine.resolveTask(request.params.id, { variables: request.body?.variables, user_id: actingUser(request.body?.user_id) }));

  app.post<{ Params: Id; Body: VariablesBody }>('/:id/complete', { schema: completeSchema }, async (request) =>
    app.engine.completeTask(request.params.id, { variables: request.body?.variables, user_id: actingUser(request.body?.user_id) }));
}

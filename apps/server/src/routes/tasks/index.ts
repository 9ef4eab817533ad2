// /tasks: user tasks — list, read, claim, unclaim, assign, delegate, resolve, complete — and their statistics.
import type { StatisticsQuery, TaskQuery, VariablesInput } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../auth/permissions.js';
import { actingUser } from '../../identity.js';
import { requireEngineIdParam } from '../id-param.js';
import {
  assignSchema, claimSchema, completeSchema, delegateSchema, getSchema, listSchema, resolveSchema, statisticsSchema,
  unclaimSchema,
} from './schemas.js';

const mayRead = permit('tasks:read');
const mayAnalyse = permit('analytics:read');
const mayWork = permit('tasks:work');

type Id = { id: string };
type UserBody = { user_id?: string } | null;
type VariablesBody = { variables?: VariablesInput; user_id?: string } | null;

export async function taskRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preValidation', requireEngineIdParam('Task'));

  app.get<{ Querystring: TaskQuery }>('', { config: mayRead, schema: listSchema }, async (request) => request.engine.listTasks(request.query));

  // A static segment wins over `/:id` in Fastify's router whatever the registration order.
  app.get<{ Querystring: StatisticsQuery }>('/statistics', { config: mayAnalyse, schema: statisticsSchema }, async (request) =>
    request.engine.taskStatistics(request.query));

  app.get<{ Params: Id }>('/:id', { config: mayRead, schema: getSchema }, async (request) => request.engine.getTask(request.params.id));

  app.post<{ Params: Id; Body: { user_id: string } }>('/:id/claim', { config: mayWork, schema: claimSchema }, async (request) =>
    request.engine.claimTask(request.params.id, request.body.user_id));

  app.post<{ Params: Id; Body: UserBody }>('/:id/unclaim', { config: mayWork, schema: unclaimSchema }, async (request) =>
    request.engine.unclaimTask(request.params.id, { user_id: actingUser(request, request.body?.user_id) }));

  app.post<{ Params: Id; Body: { user_id: string | null } }>('/:id/assign', { config: mayWork, schema: assignSchema }, async (request) =>
    request.engine.assignTask(request.params.id, request.body.user_id));

  app.post<{ Params: Id; Body: { user_id: string } }>('/:id/delegate', { config: mayWork, schema: delegateSchema }, async (request) =>
    request.engine.delegateTask(request.params.id, request.body.user_id));

  app.post<{ Params: Id; Body: VariablesBody }>('/:id/resolve', { config: mayWork, schema: resolveSchema }, async (request) =>
    request.engine.resolveTask(request.params.id, { variables: request.body?.variables, user_id: actingUser(request, request.body?.user_id) }));

  app.post<{ Params: Id; Body: VariablesBody }>('/:id/complete', { config: mayWork, schema: completeSchema }, async (request) =>
    request.engine.completeTask(request.params.id, { variables: request.body?.variables, user_id: actingUser(request, request.body?.user_id) }));
}

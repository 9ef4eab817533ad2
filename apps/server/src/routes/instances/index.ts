// /instances: start, list, read, terminate, suspend and modify process instances, and set and remove their variables.
import type { InstanceQuery, ModifyInstanceInput, StartInstanceInput, VariableUpdate } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../auth/permissions.js';
import { actingUser } from '../../identity.js';
import { assertEngineId, requireEngineIdParam } from '../id-param.js';
import {
  eraseHistorySchema, getSchema, getVariablesSchema, listSchema, modifySchema, removeVariableSchema, startSchema, suspendSchema, terminateSchema,
  updateVariablesSchema,
} from './schemas.js';

const mayStart = permit('instances:start');
const mayRead = permit('instances:read');
const mayOperate = permit('instances:operate');
const mayErase = permit('history:erase');

type Id = { id: string };

export async function instanceRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preValidation', requireEngineIdParam('Process instance'));

  app.post<{ Body: StartInstanceInput }>('', { config: mayStart, schema: startSchema }, async (request, reply) => {
    assertEngineId('Process definition', request.body.process_definition_id);
    const instance = await request.engine.startInstance({ ...request.body, started_by: actingUser(request, request.body.started_by) });
    reply.code(201);
    return instance;
  });

  app.get<{ Querystring: InstanceQuery }>('', { config: mayRead, schema: listSchema }, async (request) =>
    request.engine.listInstances(request.query));

  app.get<{ Params: Id }>('/:id', { config: mayRead, schema: getSchema }, async (request) => request.engine.getInstance(request.params.id));

  app.delete<{ Params: Id; Querystring: { reason?: string; user_id?: string } }>(
    '/:id',
    { config: mayOperate, schema: terminateSchema },
    async (request, reply) => {
      const { reason, user_id } = request.query;
      await request.engine.terminateInstance(request.params.id, { reason, user_id: actingUser(request, user_id) });
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: Id }>('/:id/history', { config: mayErase, schema: eraseHistorySchema }, async (request, reply) => {
    await request.engine.eraseInstanceHistory(request.params.id);
    return reply.code(204).send();
  });

  app.put<{ Params: Id; Body: { suspended: boolean; user_id?: string } }>(
    '/:id/suspended',
    { config: mayOperate, schema: suspendSchema },
    async (request) => request.engine.setInstanceSuspended(request.params.id, request.body.suspended, {
      user_id: actingUser(request, request.body.user_id),
    }),
  );

  app.post<{ Params: Id; Body: ModifyInstanceInput }>('/:id/modification', { config: mayOperate, schema: modifySchema }, async (request) =>
    request.engine.modifyInstance(request.params.id, { ...request.body, user_id: actingUser(request, request.body.user_id) }));

  app.get<{ Params: Id }>('/:id/variables', { config: mayRead, schema: getVariablesSchema }, async (request) =>
    request.engine.getVariables(request.params.id));

  app.put<{ Params: Id; Body: VariableUpdate[] }>(
    '/:id/variables',
    { config: mayOperate, schema: updateVariablesSchema },
    async (request) => request.engine.updateVariables(request.params.id, request.body, { user_id: actingUser(request, undefined) }),
  );

  app.delete<{ Params: Id & { name: string }; Querystring: { user_id?: string } }>(
    '/:id/variables/:name',
    { config: mayOperate, schema: removeVariableSchema },
    async (request, reply) => {
      await request.engine.removeVariables(request.params.id, [request.params.name], { user_id: actingUser(request, request.query.user_id) });
      return reply.code(204).send();
    },
  );
}

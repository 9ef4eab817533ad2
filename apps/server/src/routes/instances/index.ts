// /instances: start, list, read, terminate and suspend process instances, and their variables.
import type { InstanceQuery, StartInstanceInput, VariableUpdate } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { actingUser } from '../../identity.js';
import { assertEngineId, requireEngineIdParam } from '../id-param.js';
import {
  eraseHistorySchema, getSchema, getVariablesSchema, listSchema, startSchema, suspendSchema, terminateSchema, updateVariablesSchema,
} from './schemas.js';

type Id = { id: string };

export async function instanceRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preValidation', requireEngineIdParam('Process instance'));

  app.post<{ Body: StartInstanceInput }>('', { schema: startSchema }, async (request, reply) => {
    assertEngineId('Process definition', request.body.process_definition_id);
    const instance = await app.engine.startInstance({ ...request.body, started_by: actingUser(request.body.started_by) });
    reply.code(201);
    return instance;
  });

  app.get<{ Querystring: InstanceQuery }>('', { schema: listSchema }, async (request) => app.engine.listInstances(request.query));

  app.get<{ Params: Id }>('/:id', { schema: getSchema }, async (request) => app.engine.getInstance(request.params.id));

  app.delete<{ Params: Id; Querystring: { reason?: string; user_id?: string } }>(
    '/:id',
    { schema: terminateSchema },
    async (request, reply) => {
      const { reason, user_id } = request.query;
      await app.engine.terminateInstance(request.params.id, { reason, user_id: actingUser(user_id) });
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: Id }>('/:id/history', { schema: eraseHistorySchema }, async (request, reply) => {
    await app.engine.eraseInstanceHistory(request.params.id);
    return reply.code(204).send();
  });

  app.put<{ Params: Id; Body: { suspended: boolean; user_id?: string } }>(
    '/:id/suspended',
    { schema: suspendSchema },
    async (request) => app.engine.setInstanceSuspended(request.params.id, request.body.suspended, {
      user_id: actingUser(request.body.user_id),
    }),
  );

  app.get<{ Params: Id }>('/:id/variables', { schema: getVariablesSchema }, async (request) => app.engine.getVariables(request.params.id));

  app.put<{ Params: Id; Body: VariableUpdate[] }>(
    '/:id/variables',
    { schema: updateVariablesSchema },
    async (request) => app.engine.updateVariables(request.params.id, request.body),
  );
}

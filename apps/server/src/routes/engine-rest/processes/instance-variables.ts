// Camunda 7's variables of a running process instance (`/process-instance/{id}/variables`), typed as
// Camunda writes them: read, set and removed.
import { EngineError } from '@dadms/process-engine';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { permit } from '../../../auth/permissions.js';
import { actingUser } from '../../../identity.js';
import { deleteVariableSchema, modifyVariablesSchema, putVariableSchema, variableSchema, variablesSchema } from './instance-schemas.js';
import { gone, isNotRunning, runningInstance } from './running-instances.js';
import { fromCamundaVariables, toCamundaVariables, type CamundaTypedValue } from '../typed-values.js';

type Id = { id: string };
type VariableId = Id & { varName: string };

/** sets the variables on the instance, as Camunda sets them on the process instance's own scope */
async function setVariables(request: FastifyRequest<{ Params: Id }>, variables: Record<string, CamundaTypedValue>): Promise<void> {
  const { id } = request.params;
  const updates = Object.entries(fromCamundaVariables(variables) ?? {}).map(([variable_name, variable]) => ({ variable_name, ...variable }));
  await request.engine.updateVariables(id, updates, { user_id: actingUser(request, undefined) }).catch((e: unknown) => {
    throw isNotRunning(e) ? gone(id) : e;
  });
}

export async function instanceVariableRoutes(app: FastifyInstance): Promise<void> {
  const mayRead = permit('instances:read');
  const mayOperate = permit('instances:operate');

  app.get<{ Params: Id }>('/:id/variables', { config: mayRead, schema: variablesSchema }, async (request) =>
    toCamundaVariables((await runningInstance(request.engine, request.params.id)).variables));

  app.get<{ Params: VariableId }>('/:id/variables/:varName', { config: mayRead, schema: variableSchema }, async (request) => {
    const { id, varName } = request.params;
    const variable = (await runningInstance(request.engine, id)).variables[varName];
    if (!variable) throw new EngineError('NOT_FOUND', `process instance variable with name ${varName} does not exist`);
    return toCamundaVariables({ [varName]: variable })[varName];
  });

  app.put<{ Params: VariableId; Body: CamundaTypedValue }>('/:id/variables/:varName', { config: mayOperate, schema: putVariableSchema }, async (request, reply) => {
    await setVariables(request, { [request.params.varName]: request.body });
    return reply.code(204).send();
  });

  app.post<{ Params: Id; Body: { modifications?: Record<string, CamundaTypedValue> | null; deletions?: string[] | null } | null }>(
    '/:id/variables',
    { config: mayOperate, schema: modifyVariablesSchema },
    async (request, reply) => {
      const body = request.body ?? {};
      await setVariables(request, body.modifications ?? {});
      await removeVariables(request, body.deletions ?? []);
      return reply.code(204).send();
    },
  );

  app.delete<{ Params: VariableId }>('/:id/variables/:varName', { config: mayOperate, schema: deleteVariableSchema }, async (request, reply) => {
    await removeVariables(request, [request.params.varName]);
    return reply.code(204).send();
  });
}

/** removes those of the variables the instance has: Camunda removes a variable that is not there without a word */
async function removeVariables(request: FastifyRequest<{ Params: Id }>, names: string[]): Promise<void> {
  const { id } = request.params;
  const held = (await runningInstance(request.engine, id)).variables;
  const removed = [...new Set(names)].filter((name) => Object.hasOwn(held, name));
  if (!removed.length) return;
  await request.engine.removeVariables(id, removed, { user_id: actingUser(request, undefined) }).catch((e: unknown) => {
    throw isNotRunning(e) ? gone(id) : e;
  });
}

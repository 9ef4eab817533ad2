// /conditions: start the processes whose conditional start events hold for the variables given.
import type { EvaluateConditionsInput } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../auth/permissions.js';
import { actingUser } from '../../identity.js';
import { assertEngineId } from '../id-param.js';
import { evaluateSchema } from './schemas.js';

export async function conditionRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: EvaluateConditionsInput }>('', { config: permit('instances:start'), schema: evaluateSchema }, async (request) => {
    assertEngineId('Process definition', request.body.process_definition_id);
    return { data: await request.engine.startOnCondition({ ...request.body, started_by: actingUser(request, request.body.started_by) }) };
  });
}

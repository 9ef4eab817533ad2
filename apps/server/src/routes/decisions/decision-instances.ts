// /decision-instances: the decision history, read by those who read all work (the engine refuses others).
import type { DecisionInstanceQuery } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../auth/permissions.js';
import { requireEngineIdParam } from '../id-param.js';
import { getDecisionInstanceSchema, listDecisionInstancesSchema } from './schemas.js';

const mayRead = permit('instances:read');

export async function decisionInstanceRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('preValidation', requireEngineIdParam('Decision instance'));
  app.get<{ Querystring: DecisionInstanceQuery }>('', { config: mayRead, schema: listDecisionInstancesSchema }, async (request) =>
    request.engine.listDecisionInstances(request.query));
  app.get<{ Params: { id: string } }>('/:id', { config: mayRead, schema: getDecisionInstanceSchema }, async (request) =>
    request.engine.getDecisionInstance(request.params.id));
}

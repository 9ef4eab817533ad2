// /decisions: deploy DMN files, list and read the decisions deployed, and evaluate one.
import type { DecisionQuery, DeployDecisionsInput, EvaluateDecisionInput } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../auth/permissions.js';
import { actingUser } from '../../identity.js';
import { registerModelUpload, uploadedModel } from '../definitions/model-upload.js';
import { requireEngineIdParam } from '../id-param.js';
import { deployDecisionsSchema, evaluateDecisionSchema, getDecisionSchema, listDecisionsSchema } from './schemas.js';

const mayWrite = permit('definitions:write');
const mayRead = permit('definitions:read');

type DeployFields = Omit<DeployDecisionsInput, 'dmn_xml' | 'source'>;
type DeployBody = string | (DeployFields & { dmn_xml?: string; file?: string; data?: string });

export async function decisionRoutes(app: FastifyInstance, options: { deployBodyBytes: number }): Promise<void> {
  await registerModelUpload(app, options.deployBodyBytes, 'DMN');
  app.addHook('preValidation', requireEngineIdParam('Decision definition'));

  app.post<{ Querystring: DeployFields; Body: DeployBody }>(
    '',
    { config: mayWrite, schema: deployDecisionsSchema, bodyLimit: options.deployBodyBytes },
    async (request, reply) => {
      const { xml, rest } = uploadedModel(request.body, 'dmn_xml', 'a DMN file');
      const merged = { ...request.query, ...rest };
      const result = await request.engine.deployDecisions({ ...merged, dmn_xml: xml, deployed_by: actingUser(request, merged.deployed_by) });
      reply.code(result.created ? 201 : 200);
      return result;
    },
  );

  app.get<{ Querystring: DecisionQuery }>('', { config: mayRead, schema: listDecisionsSchema }, async (request) => request.engine.listDecisions(request.query));

  app.get<{ Params: { id: string } }>('/:id', { config: mayRead, schema: getDecisionSchema }, async (request) => request.engine.getDecision(request.params.id));

  app.post<{ Body: EvaluateDecisionInput }>('/evaluate', { config: mayRead, schema: evaluateDecisionSchema }, async (request) =>
    request.engine.evaluateDecision(request.body));
}

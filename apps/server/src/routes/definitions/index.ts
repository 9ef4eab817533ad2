// /definitions: deploy, list, read, change, suspend and delete process definitions.
import type { DefinitionQuery, DeployInput } from '@dadms/process-engine';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { permit } from '../../auth/permissions.js';
import { actingUser } from '../../identity.js';
import { requireEngineIdParam } from '../id-param.js';
import { registerModelUpload, uploadedModel } from './model-upload.js';
import { deleteSchema, deploySchema, getSchema, listSchema, suspendSchema, updateSchema } from './schemas.js';

const mayWrite = permit('definitions:write');
const mayRead = permit('definitions:read');

type DeployFields = Omit<DeployInput, 'bpmn_xml' | 'source' | 'forms' | 'decisions'>;
type DeployBody = string | (DeployFields & {
  bpmn_xml?: string; file?: string; data?: string; forms?: (string | object)[]; form?: string | string[]; decisions?: string[]; decision?: string | string[];
});
type Id = { id: string };

/** One DeployInput from whichever body format was sent; fields in the body win over the query string. */
function deployInput(request: Pick<FastifyRequest, 'caller'>, query: DeployFields, body: DeployBody | undefined): DeployInput {
  const { xml, rest } = uploadedModel(body, 'bpmn_xml', 'a model');
  const { forms, form, decisions, decision, ...fields } = rest;
  const merged = { ...query, ...fields };
  // JSON carries forms as objects (or their text), multipart as the text of each `form` part
  const formTexts = [...(forms ?? []).map((f) => (typeof f === 'string' ? f : JSON.stringify(f))), ...[form ?? []].flat()];
  const decisionTexts = [...(decisions ?? []), ...[decision ?? []].flat()];
  return {
    ...merged, bpmn_xml: xml, ...(formTexts.length ? { forms: formTexts } : {}),
    ...(decisionTexts.length ? { decisions: decisionTexts } : {}),
    deployed_by: actingUser(request, merged.deployed_by),
  };
}

export async function definitionRoutes(app: FastifyInstance, options: { deployBodyBytes: number }): Promise<void> {
  await registerModelUpload(app, options.deployBodyBytes, 'BPMN');
  app.addHook('preValidation', requireEngineIdParam('Process definition'));

  app.post<{ Querystring: DeployFields; Body: DeployBody }>(
    '',
    { config: mayWrite, schema: deploySchema, bodyLimit: options.deployBodyBytes },
    async (request, reply) => {
      const result = await request.engine.deploy(deployInput(request, request.query, request.body));
      reply.code(result.created ? 201 : 200);
      return { deployment_id: result.deployment_id, definitions: result.definitions };
    },
  );

  app.get<{ Querystring: DefinitionQuery }>('', { config: mayRead, schema: listSchema }, async (request) =>
    request.engine.listDefinitions(request.query));

  app.get<{ Params: Id }>('/:id', { config: mayRead, schema: getSchema }, async (request) => request.engine.getDefinition(request.params.id));

  app.put<{ Params: Id; Body: { name?: string; category?: string; description?: string } }>(
    '/:id',
    { config: mayWrite, schema: updateSchema },
    async (request) => request.engine.updateDefinition(request.params.id, request.body),
  );

  app.delete<{ Params: Id; Querystring: { cascade: boolean } }>('/:id', { config: mayWrite, schema: deleteSchema }, async (request, reply) => {
    await request.engine.deleteDefinition(request.params.id, { cascade: request.query.cascade });
    return reply.code(204).send();
  });

  app.put<{ Params: Id; Body: { suspended: boolean; include_instances?: boolean } }>(
    '/:id/suspended',
    { config: mayWrite, schema: suspendSchema },
    async (request) => request.engine.setDefinitionSuspended(request.params.id, request.body.suspended, {
      include_instances: request.body.include_instances,
    }),
  );
}

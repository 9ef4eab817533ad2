// The files of a deployment as Camunda 7's `/deployment/{id}/resources` lists them, and each file's
// content as deployed, typed by its extension as Camunda types it.
import { EngineError, type DeploymentResourceType, type Engine } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../../auth/permissions.js';
import { CamundaFailure } from '../camunda-failure.js';
import { isEngineErrorOf, notFoundAs } from '../camunda-not-found.js';
import { camundaResource } from './dto.js';
import { resourceDataSchema, resourceListSchema, resourceSchema } from './schemas.js';

type Address = { id: string; resourceId: string };

/** Camunda's media type by extension: it has none for `.form` */
const MEDIA_TYPES: Readonly<Record<DeploymentResourceType, string>> = { bpmn: 'application/xml', dmn: 'application/xml', form: 'application/octet-stream' };

/** Camunda's attachment header: the name quoted in plain characters, and exact in `filename*` */
const attachment = (name: string) => `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export async function camundaDeploymentResourceRoutes(app: FastifyInstance): Promise<void> {
  const mayRead = permit('definitions:read');
  const resourcesOf = async (engine: Engine, id: string) =>
    (await engine.getDeployment(id).catch(notFoundAs(`Deployment resources for deployment id '${id}' do not exist.`))).resources;

  app.get<{ Params: { id: string } }>('/:id/resources', { config: mayRead, schema: resourceListSchema }, async (request) =>
    (await resourcesOf(request.engine, request.params.id)).map((resource) => camundaResource(resource, request.params.id)));

  app.get<{ Params: Address }>('/:id/resources/:resourceId', { config: mayRead, schema: resourceSchema }, async (request) => {
    const { id, resourceId } = request.params;
    const resource = (await resourcesOf(request.engine, id)).find((r) => r.id === resourceId);
    if (!resource) throw new EngineError('NOT_FOUND', `Deployment resource with resource id '${resourceId}' for deployment id '${id}' does not exist.`);
    return camundaResource(resource, id);
  });

  app.get<{ Params: Address }>('/:id/resources/:resourceId/data', { config: mayRead, schema: resourceDataSchema }, async (request, reply) => {
    const { id, resourceId } = request.params;
    const resource = await request.engine.getDeploymentResource(id, resourceId).catch((e: unknown) => {
      // Camunda looks the file up by both ids at once, and finds nothing whichever is unknown
      throw isEngineErrorOf(e, 'NOT_FOUND') ? new CamundaFailure(500, 'NullValueException', `no resource found with id '${resourceId}' in deployment '${id}': resource is null`) : e;
    });
    return reply.type(MEDIA_TYPES[resource.type]).header('content-disposition', attachment(resource.name)).send(Buffer.from(resource.content, 'utf8'));
  });
}

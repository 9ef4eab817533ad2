// Camunda 7's `/process-definition` reads as applications and scripts call them (listed, counted, read with
// or without their XML), and their suspension; a definition is named by id, or by key as its latest
// version. Starting an instance of one is in starts-and-messages.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { permit } from '../../../auth/permissions.js';
import { isEngineErrorOf, notFoundAs } from '../camunda-not-found.js';
import { camundaDefinition } from '../definition-dto.js';
import { definitionsCount, definitionsPage, latestVersion, type CamundaDefinitionQuery } from './definition-query.js';
import { definitionCountSchema, definitionListSchema, definitionSchema, definitionXmlSchema, suspendDefinitionSchema } from './definition-schemas.js';
import { refuseUnsupported } from '../unsupported-options.js';

/** the params of a path that names a definition */
interface Address {
  id?: string;
  key?: string;
  tenantId?: string;
}

const PATHS = ['/:id', '/key/:key', '/key/:key/tenant-id/:tenantId'];

/** the id of the definition a path names */
const addressedId = async (request: FastifyRequest<{ Params: Address }>): Promise<string> => {
  const { id, key, tenantId } = request.params;
  return id ?? (await latestVersion(request.engine, key!, tenantId)).id;
};

/** the definition a path names, with its XML */
const addressed = async (request: FastifyRequest<{ Params: Address }>) => {
  const id = await addressedId(request);
  return request.engine.getDefinition(id).catch(notFoundAs(`No matching definition with id ${id}`));
};

export async function camundaProcessDefinitionRoutes(app: FastifyInstance): Promise<void> {
  const mayRead = permit('definitions:read');
  const mayWrite = permit('definitions:write');

  app.get<{ Querystring: CamundaDefinitionQuery }>('', { config: mayRead, schema: definitionListSchema }, async (request) =>
    (await definitionsPage(request.engine, request.query)).map(camundaDefinition));

  app.get<{ Querystring: CamundaDefinitionQuery }>('/count', { config: mayRead, schema: definitionCountSchema }, async (request) =>
    definitionsCount(request.engine, request.query));

  for (const path of PATHS) {
    app.get<{ Params: Address }>(path, { config: mayRead, schema: definitionSchema(path) }, async (request) => camundaDefinition(await addressed(request)));

    app.get<{ Params: Address }>(`${path}/xml`, { config: mayRead, schema: definitionXmlSchema(path) }, async (request) => {
      const definition = await addressed(request);
      return { id: definition.id, bpmn20Xml: definition.bpmn_xml };
    });

    app.put<{ Params: Address; Body: { suspended?: boolean | null; includeProcessInstances?: boolean | null; executionDate?: string | null } }>(
      `${path}/suspended`,
      { config: mayWrite, schema: suspendDefinitionSchema(path) },
      async (request, reply) => {
        refuseUnsupported(request.body, ['executionDate']);
        const { suspended, includeProcessInstances } = request.body;
        await request.engine.setDefinitionSuspended(await addressedId(request), suspended === true, { include_instances: includeProcessInstances === true })
          .catch((e: unknown) => {
            // Camunda changes the rows of the definition, which are none for an unknown id, and answers 204
            if (!isEngineErrorOf(e, 'NOT_FOUND')) throw e;
          });
        return reply.code(204).send();
      },
    );
  }
}

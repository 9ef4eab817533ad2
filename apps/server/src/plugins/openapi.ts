// The OpenAPI 3.1 document, generated from the routes' schemas, at GET /openapi.json and browsable at /docs.
// Must be registered before the routes it describes.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

interface Operation {
  requestBody?: { required?: boolean; content?: Record<string, { schema?: { type?: unknown } }> };
}

/** @fastify/swagger marks every body required; a body schema that admits null may be left out. */
function markOptionalBodies(document: { paths?: Record<string, Record<string, Operation>> }): void {
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      const type = operation.requestBody?.content?.['application/json']?.schema?.type;
      if (operation.requestBody && Array.isArray(type) && type.includes('null')) operation.requestBody.required = false;
    }
  }
}

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Process Manager',
        version,
        description:
          'BPMN 2.0 process manager. Errors answer `{ "error": { "code", "message", "details"? } }`. ' +
          'Every POST accepts an `Idempotency-Key` header: a repeat with the same key and the same request answers ' +
          'the first 2xx result again (with `Idempotent-Replayed: true`) and changes nothing; the same key with a ' +
          'different request answers 409 CONFLICT. The key is taken in the command\'s transaction, so requests with one key sent ' +
          'at once to several server processes run the command once and all get its answer. A repeat whose first answer was ' +
          'lost because its server stopped after the command took effect answers 409 with `details.answer: "lost"`.',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http', scheme: 'bearer', bearerFormat: 'JWT',
            description: 'Needed when the service is configured with a token key; the token\'s roles decide what the caller may do.',
          },
        },
      },
      security: [{ bearer: [] }],
      tags: [
        { name: 'definitions' }, { name: 'decisions' }, { name: 'instances' }, { name: 'tasks' }, { name: 'external-tasks' },
        { name: 'messages' }, { name: 'jobs' }, { name: 'incidents' }, { name: 'analytics' }, { name: 'service' },
        { name: 'engine-rest', description: "the part of Camunda 7's REST API that workers, applications and Camunda Modeler call" },
      ],
    },
    // Shared schemas appear under components by their $id instead of generated names.
    transformObject: (document) => {
      if (!('openapiObject' in document)) return document.swaggerObject;
      markOptionalBodies(document.openapiObject as Parameters<typeof markOptionalBodies>[0]);
      return document.openapiObject;
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

// Camunda 7's `/process-instance`, `/process-definition` and `/migration` resources, beside the start routes.
import type { FastifyInstance } from 'fastify';
import { camundaProcessDefinitionRoutes } from './definitions.js';
import { camundaProcessInstanceRoutes } from './instances.js';
import { camundaMigrationRoutes } from './migration.js';
import { camundaStatisticsRoutes } from './statistics.js';

export async function camundaProcessRoutes(app: FastifyInstance): Promise<void> {
  await app.register(camundaProcessInstanceRoutes, { prefix: '/process-instance' });
  await app.register(camundaMigrationRoutes, { prefix: '/migration' });
  await app.register(camundaProcessDefinitionRoutes, { prefix: '/process-definition' });
  await app.register(camundaStatisticsRoutes, { prefix: '/process-definition' });
}

// Camunda 7's `/deployment` resource: deploying as Camunda Modeler and scripts do (create.ts), the
// deployments listed, counted and read, the files each holds (resources.ts), and deleting one with all it
// holds.
import { isEngineError } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../../auth/permissions.js';
import { answerCamundaFailures, CamundaFailure } from '../camunda-failure.js';
import { notFoundAs } from '../camunda-not-found.js';
import { camundaDeploymentCreateRoutes } from './create.js';
import { camundaDeployment } from './dto.js';
import { deploymentsCount, deploymentsPage, type CamundaDeploymentQuery } from './query.js';
import { camundaDeploymentResourceRoutes } from './resources.js';
import { deleteDeploymentSchema, deploymentCountSchema, deploymentListSchema, deploymentSchema } from './schemas.js';

type Id = { id: string };

export async function camundaDeploymentRoutes(app: FastifyInstance, options: { deployBodyBytes: number }): Promise<void> {
  answerCamundaFailures(app);
  const mayRead = permit('definitions:read');

  app.get<{ Querystring: CamundaDeploymentQuery }>('', { config: mayRead, schema: deploymentListSchema }, async (request) =>
    (await deploymentsPage(request.engine, request.query)).map(camundaDeployment));

  app.get<{ Querystring: CamundaDeploymentQuery }>('/count', { config: mayRead, schema: deploymentCountSchema }, async (request) =>
    deploymentsCount(request.engine, request.query));

  app.get<{ Params: Id }>('/:id', { config: mayRead, schema: deploymentSchema }, async (request) => {
    const { id } = request.params;
    return camundaDeployment(await request.engine.getDeployment(id).catch(notFoundAs(`Deployment with id '${id}' does not exist`)));
  });

  app.delete<{ Params: Id; Querystring: { cascade?: boolean } }>('/:id', { config: permit('definitions:write'), schema: deleteDeploymentSchema }, async (request, reply) => {
    const { id } = request.params;
    await request.engine.deleteDeployment(id, { cascade: request.query.cascade === true }).catch((e: unknown) => {
      if (isEngineError(e) && e.code === 'CONFLICT' && typeof e.details?.process_definition_id === 'string') {
        throw new CamundaFailure(500, 'ProcessEngineException', 'ENGINE-03076 Deletion of process definition without cascading failed. Process definition with id: ' +
          `${e.details.process_definition_id} can't be deleted, because there are ${String(e.details.instances)} dependent process instances.`);
      }
      // Camunda's message for an unknown deployment, with its grammar
      return notFoundAs(`Deployment with id '${id}' do not exist`)(e);
    });
    return reply.code(204).send();
  });

  await app.register(camundaDeploymentResourceRoutes);
  await app.register(camundaDeploymentCreateRoutes, { deployBodyBytes: options.deployBodyBytes });
}

// Camunda 7's `/process-instance` resource as applications and scripts call it: the running instances
// (listed, counted, read), deleting one, suspending or activating it, its variables, and modifying it.
import { EngineError } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../../auth/permissions.js';
import { actingUser } from '../../../identity.js';
import { postedSort } from '../camunda-query.js';
import { camundaInstance } from '../instance-dto.js';
import { activityInstanceTree } from './activity-instances.js';
import type { CamundaPaging } from '../paging.js';
import {
  activityInstancesSchema, deleteInstanceSchema, instanceCountSchema, instanceListSchema, instanceQueryCountSchema, instanceQuerySchema, instanceSchema, suspendInstanceSchema,
} from './instance-schemas.js';
import { camundaModificationRoutes } from './instance-modification.js';
import { instanceVariableRoutes } from './instance-variables.js';
import {
  isNotRunning, runningInstance, runningInstancesCount, runningInstancesPage, type CamundaInstanceQuery,
} from './running-instances.js';
import { refuseUnsupported } from '../unsupported-options.js';

type Id = { id: string };
interface DeleteOptions {
  skipCustomListeners?: boolean;
  skipIoMappings?: boolean;
  skipSubprocesses?: boolean;
  failIfNotExists?: boolean;
}

export async function camundaProcessInstanceRoutes(app: FastifyInstance): Promise<void> {
  const mayRead = permit('instances:read');
  const mayOperate = permit('instances:operate');

  app.get<{ Querystring: CamundaInstanceQuery & CamundaPaging }>('', { config: mayRead, schema: instanceListSchema }, async (request) =>
    (await runningInstancesPage(request.engine, request.query, request.query)).map((instance) => camundaInstance(instance)));

  app.post<{ Querystring: CamundaPaging; Body: CamundaInstanceQuery | null }>('', { config: mayRead, schema: instanceQuerySchema }, async (request) => {
    const query = request.body ?? {};
    const page = await runningInstancesPage(request.engine, query, { ...request.query, ...postedSort(query) });
    return page.map((instance) => camundaInstance(instance));
  });

  app.get<{ Querystring: CamundaInstanceQuery }>('/count', { config: mayRead, schema: instanceCountSchema }, async (request) =>
    runningInstancesCount(request.engine, request.query));

  app.post<{ Body: CamundaInstanceQuery | null }>('/count', { config: mayRead, schema: instanceQueryCountSchema }, async (request) =>
    runningInstancesCount(request.engine, request.body ?? {}));

  app.get<{ Params: Id }>('/:id', { config: mayRead, schema: instanceSchema }, async (request) =>
    camundaInstance(await runningInstance(request.engine, request.params.id)));

  app.get<{ Params: Id }>('/:id/activity-instances', { config: mayRead, schema: activityInstancesSchema }, async (request) =>
    activityInstanceTree(request.engine, request.params.id));

  app.delete<{ Params: Id; Querystring: DeleteOptions }>('/:id', { config: mayOperate, schema: deleteInstanceSchema }, async (request, reply) => {
    const { failIfNotExists = true, ...options } = request.query;
    refuseUnsupported(options, ['skipCustomListeners', 'skipIoMappings', 'skipSubprocesses']);
    const { id } = request.params;
    await request.engine.terminateInstance(id, { user_id: actingUser(request, undefined) }).catch((e: unknown) => {
      if (!isNotRunning(e)) throw e;
      if (failIfNotExists) throw new EngineError('NOT_FOUND', `No process instance found for id '${id}'`);
    });
    return reply.code(204).send();
  });

  app.put<{ Params: Id; Body: { suspended?: boolean | null } }>('/:id/suspended', { config: mayOperate, schema: suspendInstanceSchema }, async (request, reply) => {
    await request.engine.setInstanceSuspended(request.params.id, request.body.suspended === true, { user_id: actingUser(request, undefined) })
      .catch((e: unknown) => {
        // Camunda changes the rows of the instance, which are none for an unknown or ended one, and answers 204
        if (!isNotRunning(e)) throw e;
      });
    return reply.code(204).send();
  });

  await app.register(instanceVariableRoutes);
  await app.register(camundaModificationRoutes);
}

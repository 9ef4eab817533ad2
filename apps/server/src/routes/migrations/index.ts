// /migrations: running instances moved to another definition (the next version of their process, most often),
// and the plan that maps the elements of one definition to another's by id.
import type { MigrateInstancesInput } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../auth/permissions.js';
import { actingUser } from '../../identity.js';
import { assertEngineId } from '../id-param.js';
import { migrateSchema, planSchema } from './schemas.js';

export async function migrationRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: MigrateInstancesInput }>('', { config: permit('instances:operate'), schema: migrateSchema }, async (request) => {
    assertEngineId('Process definition', request.body.target_definition_id);
    return request.engine.migrateInstances({ ...request.body, user_id: actingUser(request, request.body.user_id) });
  });

  app.post<{ Body: { source_definition_id: string; target_definition_id: string; update_event_triggers?: boolean } }>(
    '/plan',
    { config: permit('definitions:read'), schema: planSchema },
    async (request) => {
      const { source_definition_id: source, target_definition_id: target, update_event_triggers: update } = request.body;
      return request.engine.migrationPlan(source, target, { update_event_triggers: update === true });
    },
  );
}

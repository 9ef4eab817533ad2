// Camunda 7's migration resource (`/migration/generate`, `/migration/execute`), as Cockpit and scripts send
// it, on the engine's migration: a plan of one-to-one instructions, executed for the instances named.
import { EngineError, type MigrationPlan } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../../auth/permissions.js';
import { actingUser } from '../../../identity.js';
import { refuseUnsupported } from '../unsupported-options.js';
import { executeMigrationSchema, generateMigrationSchema } from './migration-schemas.js';

interface CamundaInstruction {
  sourceActivityIds: string[];
  targetActivityIds: string[];
  updateEventTrigger?: boolean | null;
}

interface CamundaPlan {
  sourceProcessDefinitionId: string;
  targetProcessDefinitionId: string;
  instructions: CamundaInstruction[];
  variables?: Record<string, unknown> | null;
}

interface ExecuteBody {
  migrationPlan: CamundaPlan;
  processInstanceIds?: string[] | null;
  processInstanceQuery?: object | null;
  skipCustomListeners?: boolean | null;
  skipIoMappings?: boolean | null;
}

/** the plan as Camunda's MigrationPlanDto */
const camundaPlan = (plan: MigrationPlan): CamundaPlan & { variables: null } => ({
  sourceProcessDefinitionId: plan.source_definition_id,
  targetProcessDefinitionId: plan.target_definition_id,
  instructions: plan.instructions.map((i) => ({ sourceActivityIds: [i.source_activity_id], targetActivityIds: [i.target_activity_id], updateEventTrigger: false })),
  variables: null,
});

function engineInstruction(instruction: CamundaInstruction, index: number) {
  const owner = `Instruction ${index + 1}: `;
  refuseUnsupported(instruction, ['updateEventTrigger'], owner);
  const [from, to] = [instruction.sourceActivityIds, instruction.targetActivityIds];
  if (from.length !== 1 || to.length !== 1) throw new EngineError('VALIDATION_ERROR', `${owner}this engine maps one source activity to one target activity`);
  return { source_activity_id: from[0]!, target_activity_id: to[0]! };
}

export async function camundaMigrationRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: { sourceProcessDefinitionId: string; targetProcessDefinitionId: string; updateEventTriggers?: boolean | null } }>(
    '/generate',
    { config: permit('definitions:read'), schema: generateMigrationSchema },
    async (request) => {
      refuseUnsupported(request.body, ['updateEventTriggers']);
      return camundaPlan(await request.engine.migrationPlan(request.body.sourceProcessDefinitionId, request.body.targetProcessDefinitionId));
    },
  );

  app.post<{ Body: ExecuteBody }>('/execute', { config: permit('instances:operate'), schema: executeMigrationSchema }, async (request, reply) => {
    const { migrationPlan: plan, processInstanceIds, ...options } = request.body;
    refuseUnsupported({ ...options, variables: plan.variables }, ['processInstanceQuery', 'skipCustomListeners', 'skipIoMappings', 'variables']);
    await request.engine.migrateInstances({
      source_definition_id: plan.sourceProcessDefinitionId, target_definition_id: plan.targetProcessDefinitionId,
      process_instance_ids: processInstanceIds ?? [], instructions: plan.instructions.map(engineInstruction), user_id: actingUser(request, undefined),
    });
    return reply.code(204).send();
  });
}

// Camunda 7's migration resource (`/migration/generate`, `/migration/execute`), as Cockpit and scripts send
// it, on the engine's migration: a plan of one-to-one instructions with its variables, executed for the
// instances named and those a process instance query finds.
import { EngineError, type Engine, type MigrationInstruction, type MigrationPlan } from '@dadms/process-engine';
import { fromCamundaVariables, type CamundaTypedValue } from '../typed-values.js';
import { runningInstancesPage, type CamundaInstanceQuery } from './running-instances.js';
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
  variables?: Record<string, CamundaTypedValue> | null;
}

interface ExecuteBody {
  migrationPlan: CamundaPlan;
  processInstanceIds?: string[] | null;
  processInstanceQuery?: CamundaInstanceQuery | null;
  skipCustomListeners?: boolean | null;
  skipIoMappings?: boolean | null;
}

/** the instances a migration takes at most, as the engine's migration does */
const MAX_INSTANCES = 1000;

/** the plan as Camunda's MigrationPlanDto */
const camundaPlan = (plan: MigrationPlan): CamundaPlan & { variables: null } => ({
  sourceProcessDefinitionId: plan.source_definition_id,
  targetProcessDefinitionId: plan.target_definition_id,
  instructions: plan.instructions.map((i) => ({ sourceActivityIds: [i.source_activity_id], targetActivityIds: [i.target_activity_id], updateEventTrigger: i.update_event_trigger === true })),
  variables: null,
});

function engineInstruction(instruction: CamundaInstruction, index: number): MigrationInstruction {
  const [from, to] = [instruction.sourceActivityIds, instruction.targetActivityIds];
  if (from.length !== 1 || to.length !== 1) throw new EngineError('VALIDATION_ERROR', `Instruction ${index + 1}: this engine maps one source activity to one target activity`);
  return { source_activity_id: from[0]!, target_activity_id: to[0]!, ...(instruction.updateEventTrigger === true ? { update_event_trigger: true } : {}) };
}

/** the instances named and those the query finds, as Camunda takes both */
async function instancesOf(engine: Engine, named: string[], query: CamundaInstanceQuery | undefined): Promise<string[]> {
  if (!query) return named;
  const found = await runningInstancesPage(engine, query, { firstResult: 0, maxResults: MAX_INSTANCES + 1 });
  const ids = [...new Set([...named, ...found.map((instance) => instance.id)])];
  if (ids.length > MAX_INSTANCES) throw new EngineError('VALIDATION_ERROR', `The migration takes more than ${MAX_INSTANCES} instances; narrow processInstanceQuery`);
  return ids;
}

export async function camundaMigrationRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: { sourceProcessDefinitionId: string; targetProcessDefinitionId: string; updateEventTriggers?: boolean | null } }>(
    '/generate',
    { config: permit('definitions:read'), schema: generateMigrationSchema },
    async (request) => {
      const { sourceProcessDefinitionId: source, targetProcessDefinitionId: target, updateEventTriggers } = request.body;
      return camundaPlan(await request.engine.migrationPlan(source, target, { update_event_triggers: updateEventTriggers === true }));
    },
  );

  app.post<{ Body: ExecuteBody }>('/execute', { config: permit('instances:operate'), schema: executeMigrationSchema }, async (request, reply) => {
    const { migrationPlan: plan, processInstanceIds, processInstanceQuery, ...options } = request.body;
    refuseUnsupported(options, ['skipCustomListeners', 'skipIoMappings']);
    const instructions = plan.instructions.map(engineInstruction);
    await request.engine.migrateInstances({
      source_definition_id: plan.sourceProcessDefinitionId, target_definition_id: plan.targetProcessDefinitionId,
      process_instance_ids: await instancesOf(request.engine, processInstanceIds ?? [], processInstanceQuery ?? undefined), instructions,
      ...(plan.variables ? { variables: fromCamundaVariables(plan.variables) } : {}), user_id: actingUser(request, undefined),
    });
    return reply.code(204).send();
  });
}

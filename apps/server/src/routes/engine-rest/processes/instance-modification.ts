// Camunda 7's process instance modification (`POST /process-instance/{id}/modification`), as Cockpit and
// scripts send it, on the engine's own: its instruction types and fields in Camunda's names, 204 once done.
import { EngineError, type ModificationInstruction } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../../auth/permissions.js';
import { actingUser } from '../../../identity.js';
import { given } from '../camunda-query.js';
import { fromCamundaVariables, type CamundaTypedValue } from '../typed-values.js';
import { refuseUnsupported } from '../unsupported-options.js';
import { modificationSchema } from './instance-schemas.js';

interface CamundaInstruction {
  type: 'cancel' | 'startBeforeActivity' | 'startAfterActivity' | 'startTransition';
  activityId?: string | null;
  transitionId?: string | null;
  activityInstanceId?: string | null;
  transitionInstanceId?: string | null;
  ancestorActivityInstanceId?: string | null;
  variables?: Record<string, CamundaTypedValue & { local?: boolean | null }> | null;
  cancelCurrentActiveActivityInstances?: boolean | null;
}

interface CamundaModification {
  instructions: CamundaInstruction[];
  skipCustomListeners?: boolean | null;
  skipIoMappings?: boolean | null;
  annotation?: string | null;
}

const START_TYPES = { startBeforeActivity: 'start_before_activity', startAfterActivity: 'start_after_activity', startTransition: 'start_transition' } as const;

/** one of Camunda's instructions as the engine's */
function engineInstruction(instruction: CamundaInstruction, index: number): ModificationInstruction {
  const owner = `Instruction ${index + 1}: `;
  refuseUnsupported(instruction, ['transitionInstanceId', 'cancelCurrentActiveActivityInstances'], owner);
  if (instruction.type === 'cancel') {
    return { type: 'cancel', ...given({ activity_id: instruction.activityId, activity_instance_id: instruction.activityInstanceId }) };
  }
  const variables = instruction.variables ?? {};
  const local = Object.entries(variables).filter(([, variable]) => variable.local === true).map(([name]) => name);
  if (local.length) throw new EngineError('VALIDATION_ERROR', `${owner}local variables (${local.join(', ')}) are not supported by this engine`);
  return {
    type: START_TYPES[instruction.type],
    ...given({
      activity_id: instruction.activityId, transition_id: instruction.transitionId, ancestor_activity_instance_id: instruction.ancestorActivityInstanceId,
      variables: fromCamundaVariables(Object.fromEntries(Object.entries(variables).map(([name, { local: _local, ...typed }]) => [name, typed]))),
    }),
  };
}

export async function camundaModificationRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Params: { id: string }; Body: CamundaModification }>(
    '/:id/modification',
    { config: permit('instances:operate'), schema: modificationSchema },
    async (request, reply) => {
      const { instructions, annotation, ...options } = request.body;
      refuseUnsupported(options, ['skipCustomListeners', 'skipIoMappings']);
      await request.engine.modifyInstance(request.params.id, {
        instructions: instructions.map(engineInstruction), user_id: actingUser(request, undefined), ...(annotation != null ? { annotation } : {}),
      });
      return reply.code(204).send();
    },
  );
}

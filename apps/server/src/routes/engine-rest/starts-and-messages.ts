// Camunda 7's endpoints that applications call to start instances (`/process-definition/…/start`, and by
// condition `/condition`), to correlate messages (`/message`) and to broadcast signals (`/signal`), on the
// engine's own commands.
import { EngineError, isEngineError, type StartInstanceInput } from '@dadms/process-engine';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { permit } from '../../auth/permissions.js';
import { actingUser } from '../../identity.js';
import { assertEngineId } from '../id-param.js';
import { camundaInstance } from './instance-dto.js';
import { conditionSchema, correlateSchema, signalSchema, startSchema } from './schemas.js';
import { fromCamundaVariables, type CamundaTypedValue } from './typed-values.js';
import { refuseUnsupported } from './unsupported-options.js';

type Variables = Record<string, CamundaTypedValue>;
interface StartBody {
  variables?: Variables | null;
  businessKey?: string | null;
  withVariablesInReturn?: boolean | null;
  startInstructions?: unknown[] | null;
  skipCustomListeners?: boolean | null;
  skipIoMappings?: boolean | null;
  caseInstanceId?: string | null;
}
interface MessageBody {
  messageName: string;
  businessKey?: string | null;
  tenantId?: string | null;
  withoutTenantId?: boolean | null;
  processInstanceId?: string | null;
  correlationKeys?: Variables | null;
  localCorrelationKeys?: Variables | null;
  processVariables?: Variables | null;
  processVariablesLocal?: Variables | null;
  processVariablesToTriggeredScope?: Variables | null;
  all?: boolean | null;
  resultEnabled?: boolean | null;
  variablesInResultEnabled?: boolean | null;
}
interface SignalBody {
  name: string;
  variables?: Variables | null;
  tenantId?: string | null;
  withoutTenantId?: boolean | null;
  executionId?: string | null;
}

export async function camundaStartAndMessageRoutes(app: FastifyInstance): Promise<void> {
  const mayStart = { config: permit('instances:start'), schema: startSchema };
  const start = async (request: FastifyRequest<{ Body: StartBody }>, target: Pick<StartInstanceInput, 'process_definition_id' | 'process_definition_key' | 'tenant_id'>) => {
    const body = request.body ?? {};
    refuseUnsupported(body, ['startInstructions', 'skipCustomListeners', 'skipIoMappings', 'caseInstanceId']);
    const instance = await request.engine.startInstance({
      ...target, variables: fromCamundaVariables(body.variables ?? undefined), started_by: actingUser(request, undefined),
      ...(body.businessKey != null ? { business_key: body.businessKey } : {}),
    });
    return camundaInstance(instance, body.withVariablesInReturn === true);
  };

  app.post<{ Params: { id: string }; Body: StartBody }>('/process-definition/:id/start', mayStart, async (request) => {
    assertEngineId('Process definition', request.params.id);
    return start(request, { process_definition_id: request.params.id });
  });
  app.post<{ Params: { key: string }; Body: StartBody }>('/process-definition/key/:key/start', mayStart, async (request) =>
    start(request, { process_definition_key: request.params.key }));
  app.post<{ Params: { key: string; tenantId: string }; Body: StartBody }>('/process-definition/key/:key/tenant-id/:tenantId/start', mayStart, async (request) =>
    start(request, { process_definition_key: request.params.key, tenant_id: request.params.tenantId }));

  app.post<{ Body: { variables?: Variables | null; businessKey?: string | null; tenantId?: string | null; withoutTenantId?: boolean | null; processDefinitionId?: string | null } }>(
    '/condition',
    { config: permit('instances:start'), schema: conditionSchema },
    async (request) => {
      const body = request.body;
      refuseUnsupported(body, ['withoutTenantId']);
      if (body.processDefinitionId != null) assertEngineId('Process definition', body.processDefinitionId);
      const started = await request.engine.startOnCondition({
        variables: fromCamundaVariables(body.variables ?? undefined), started_by: actingUser(request, undefined),
        ...(body.businessKey != null ? { business_key: body.businessKey } : {}),
        ...(body.tenantId != null ? { tenant_id: body.tenantId } : {}),
        ...(body.processDefinitionId != null ? { process_definition_id: body.processDefinitionId } : {}),
      });
      return started.map((instance) => camundaInstance(instance, false));
    },
  );

  app.post<{ Body: MessageBody }>('/message', { config: permit('messages:send'), schema: correlateSchema }, async (request, reply) => {
    const body = request.body;
    refuseUnsupported(body, ['withoutTenantId', 'localCorrelationKeys', 'processVariablesLocal', 'processVariablesToTriggeredScope', 'resultEnabled', 'variablesInResultEnabled']);
    if (body.processInstanceId != null) assertEngineId('Process instance', body.processInstanceId);
    const keys = fromCamundaVariables(body.correlationKeys ?? undefined);
    const mismatch = () => new EngineError('CONFLICT', `Cannot correlate message '${body.messageName}': no process definition or execution matches the parameters`);
    const delivered = await request.engine.correlateMessage({
      message_name: body.messageName,
      ...(body.businessKey != null ? { business_key: body.businessKey } : {}),
      ...(body.processInstanceId != null ? { process_instance_id: body.processInstanceId } : {}),
      ...(body.tenantId != null ? { tenant_id: body.tenantId } : {}),
      ...(keys ? { correlation_keys: Object.fromEntries(Object.entries(keys).map(([name, key]) => [name, key.value])) } : {}),
      variables: fromCamundaVariables(body.processVariables ?? undefined),
      all: body.all === true,
    }).catch((e: unknown) => {
      // Camunda answers a message that reaches nothing with 400, whatever the reason
      throw isEngineError(e) && e.code === 'NOT_FOUND' ? mismatch() : e;
    });
    if (!delivered.length) throw mismatch();
    return reply.code(204).send();
  });

  app.post<{ Body: SignalBody }>('/signal', { config: permit('signals:send'), schema: signalSchema }, async (request, reply) => {
    const { name, variables, tenantId } = request.body;
    // the engine broadcasts to every instance and definition of a tenant, or of all: not to one execution, nor to no tenant only
    refuseUnsupported(request.body, ['executionId', 'withoutTenantId']);
    await request.engine.broadcastSignal({
      signal_name: name, variables: fromCamundaVariables(variables ?? undefined), ...(tenantId != null ? { tenant_id: tenantId } : {}),
    });
    return reply.code(204).send();
  });
}

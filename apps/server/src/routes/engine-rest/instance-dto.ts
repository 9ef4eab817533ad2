// A process instance as Camunda 7's REST API answers it: ProcessInstanceDto, and with its variables
// ProcessInstanceWithVariablesDto, which a start answers when asked `withVariablesInReturn`.
import type { ProcessInstance } from '@dadms/process-engine';
import { toCamundaVariables } from './typed-values.js';

export function camundaInstance(instance: ProcessInstance, withVariables = false) {
  return {
    links: [],
    id: instance.id,
    definitionId: instance.process_definition_id,
    definitionKey: instance.process_definition_key,
    businessKey: instance.business_key ?? null,
    caseInstanceId: null,
    ended: instance.end_time !== undefined,
    suspended: instance.status === 'suspended',
    tenantId: instance.tenant_id ?? null,
    ...(withVariables ? { variables: toCamundaVariables(instance.variables) } : {}),
  };
}

// A process definition as Camunda 7's REST API answers it (ProcessDefinitionDto). The engine keeps no
// resource file name, no separate diagram resource and no tasklist flag: those answer null, and every
// definition is startable in a tasklist.
import type { ProcessDefinition } from '@dadms/process-engine';

export function camundaDefinition(d: ProcessDefinition) {
  return {
    id: d.id, key: d.key, category: d.category || null, description: d.description || null, name: d.name, version: d.version,
    resource: null, deploymentId: d.deployment_id, diagram: null, suspended: d.suspended, tenantId: d.tenant_id ?? null,
    versionTag: d.version_tag ?? null, historyTimeToLive: null, startableInTasklist: true,
  };
}

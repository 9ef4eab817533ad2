// A deployment and its files as Camunda 7's REST API answers them (DeploymentDto, DeploymentResourceDto).
import type { Deployment, DeploymentResource } from '@dadms/process-engine';
import { camundaDate } from '../typed-values.js';

export const camundaDeployment = (d: Pick<Deployment, 'id' | 'name' | 'source' | 'tenant_id' | 'deployed_at'>) => ({
  links: [], id: d.id, name: d.name ?? null, source: d.source ?? null, deploymentTime: camundaDate(d.deployed_at), tenantId: d.tenant_id ?? null,
});

export const camundaResource = (resource: DeploymentResource, deploymentId: string) => ({ id: resource.id, name: resource.name, deploymentId });

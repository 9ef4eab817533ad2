// Camunda 7's deployment query (`GET /deployment` and `/deployment/count`) on the engine's deployment list:
// every filter Camunda has, its times written as Camunda writes them, its `before` and `after` strict.
import { EngineError, type Deployment, type DeploymentQuery, type Engine } from '@dadms/process-engine';
import { given, listFilter } from '../camunda-query.js';
import { fromCamundaTime } from '../history/query.js';
import { camundaCount, camundaList, type CamundaPaging } from '../paging.js';

export interface CamundaDeploymentQuery extends CamundaPaging {
  id?: string;
  name?: string;
  nameLike?: string;
  source?: string;
  withoutSource?: boolean;
  tenantIdIn?: string;
  withoutTenantId?: boolean;
  includeDeploymentsWithoutTenantId?: boolean;
  after?: string;
  before?: string;
}

/** Camunda's `sortBy` values → the engine's sort fields */
const SORTABLE = { id: 'id', name: 'name', deploymentTime: 'deployed_at', tenantId: 'tenant_id' };

function engineFilters(query: CamundaDeploymentQuery): DeploymentQuery {
  if (query.withoutSource === true && query.source !== undefined) {
    throw new EngineError('VALIDATION_ERROR', 'The query parameters "withoutSource" and "source" cannot be used in combination.');
  }
  // Camunda's query is given withoutTenantId after tenantIdIn, and keeps only the last
  const withoutTenant = query.withoutTenantId === true;
  return given<DeploymentQuery>({
    id: query.id, name: query.name, name_like: query.nameLike, source: query.source, without_source: query.withoutSource === true || undefined,
    tenant_id_in: withoutTenant ? undefined : listFilter(query.tenantIdIn),
    include_without_tenant_id: query.includeDeploymentsWithoutTenantId === true || undefined,
    without_tenant_id: withoutTenant || undefined,
    deployed_after: fromCamundaTime('after', query.after), deployed_before: fromCamundaTime('before', query.before),
  });
}

export function deploymentsPage(engine: Engine, query: CamundaDeploymentQuery): Promise<Deployment[]> {
  const filters = engineFilters(query);
  return camundaList(query, SORTABLE, (page) => engine.listDeployments({ ...filters, ...page }));
}

export function deploymentsCount(engine: Engine, query: CamundaDeploymentQuery): Promise<{ count: number }> {
  const filters = engineFilters(query);
  return camundaCount((page) => engine.listDeployments({ ...filters, ...page }));
}

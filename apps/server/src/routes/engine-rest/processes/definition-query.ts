// Camunda 7's process definition query (`GET /process-definition`) on the engine's definition list, and
// the latest version of a key, which `/process-definition/key/{key}` (of no tenant) and
// `/key/{key}/tenant-id/{tenantId}` address.
import { EngineError, type DefinitionQuery, type Engine, type ProcessDefinition } from '@dadms/process-engine';
import { given, singleTenant } from '../camunda-query.js';
import { camundaCount, camundaList, MAX_RESULTS, type CamundaPaging } from '../paging.js';
import { refuseUnsupported } from '../unsupported-options.js';

export interface CamundaDefinitionQuery extends CamundaPaging {
  key?: string;
  category?: string;
  latestVersion?: boolean;
  latest?: boolean;
  tenantIdIn?: string;
  active?: boolean;
  suspended?: boolean;
}

/** Camunda's filters that the engine's definition list does not have (its `name` is a search, not Camunda's exact match) */
export const REFUSED_DEFINITION_FILTERS = [
  'processDefinitionId', 'processDefinitionIdIn', 'name', 'nameLike', 'categoryLike', 'deploymentId', 'deployedAfter', 'deployedAt',
  'keysIn', 'keyLike', 'ver', 'version', 'resourceName', 'resourceNameLike', 'startableBy', 'incidentId', 'incidentType',
  'incidentMessage', 'incidentMessageLike', 'withoutTenantId', 'includeProcessDefinitionsWithoutTenantId', 'versionTag',
  'versionTagLike', 'withoutVersionTag', 'startableInTasklist', 'notStartableInTasklist', 'startablePermissionCheck',
] as const;

/** Camunda's `sortBy` values → the engine's sort fields */
const SORTABLE = { key: 'key', name: 'name', version: 'version', category: 'category', deployTime: 'deployed_at' };

function engineFilters(query: CamundaDefinitionQuery): DefinitionQuery {
  refuseUnsupported(query, REFUSED_DEFINITION_FILTERS);
  // Camunda's query keeps the last state it is given, and it is given `suspended` after `active`
  const suspended = query.suspended === true ? true : query.active === true ? false : undefined;
  return given<DefinitionQuery>({
    key: query.key, category: query.category, tenant_id: singleTenant(query.tenantIdIn), suspended,
    latest: query.latestVersion === true || query.latest === true ? true : undefined,
  });
}

export function definitionsPage(engine: Engine, query: CamundaDefinitionQuery): Promise<ProcessDefinition[]> {
  const filters = engineFilters(query);
  return camundaList(query, SORTABLE, (page) => engine.listDefinitions({ ...filters, ...page }));
}

export function definitionsCount(engine: Engine, query: CamundaDefinitionQuery): Promise<{ count: number }> {
  const filters = engineFilters(query);
  return camundaCount((page) => engine.listDefinitions({ ...filters, ...page }));
}

/** the latest version of the key in the tenant, or in no tenant when none is named; a 404 in Camunda's words when there is none */
export async function latestVersion(engine: Engine, key: string, tenantId: string | undefined): Promise<ProcessDefinition> {
  const found = tenantId === undefined
    ? await latestOfNoTenant(engine, key)
    : (await engine.listDefinitions({ key, latest: true, tenant_id: tenantId, limit: 1 })).data[0];
  if (found) return found;
  throw new EngineError('NOT_FOUND', `No matching process definition with key: ${key} and ${tenantId === undefined ? 'no tenant-id' : `tenant-id: ${tenantId}`}`);
}

/** the engine filters by a tenant but not by none: the latest version of each tenant comes, the one of no tenant among them */
async function latestOfNoTenant(engine: Engine, key: string): Promise<ProcessDefinition | undefined> {
  for (let offset = 0; ; offset += MAX_RESULTS) {
    const page = await engine.listDefinitions({ key, latest: true, limit: MAX_RESULTS, offset });
    const found = page.data.find((d) => d.tenant_id === undefined);
    if (found || offset + page.data.length >= page.total) return found;
  }
}

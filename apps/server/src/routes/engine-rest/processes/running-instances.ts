// Process instances as Camunda 7's runtime sees them: only running ones, active or suspended; an ended
// instance is gone from it. Camunda's instance query (`GET /process-instance`, or the same as a POST body)
// becomes the engine's instance list, which filters one status at a time: without `active` or `suspended`
// the active and the suspended lists are read and merged in the order the engine gives each, newest start
// first, then by id.
import { EngineError, type Engine, type InstanceQuery, type Page, type PageQuery, type ProcessInstance, type ProcessInstanceDetails } from '@dadms/process-engine';
import { isEngineErrorOf, notFoundAs } from '../camunda-not-found.js';
import { given, singleTenant, type PostedSorting } from '../camunda-query.js';
import { mergedList, type ListRead, type SortValues } from '../lists.js';
import { camundaCount, camundaList, type CamundaPaging } from '../paging.js';
import { refuseUnsupported } from '../unsupported-options.js';

export interface CamundaInstanceQuery extends PostedSorting {
  processDefinitionKey?: string | null;
  processDefinitionId?: string | null;
  businessKey?: string | null;
  tenantIdIn?: string | string[] | null;
  superProcessInstance?: string | null;
  active?: boolean | null;
  suspended?: boolean | null;
}

/** Camunda's filters that the engine's instance list does not have */
export const REFUSED_INSTANCE_FILTERS = [
  'processInstanceIds', 'businessKeyLike', 'caseInstanceId', 'processDefinitionKeyIn', 'processDefinitionKeyNotIn', 'deploymentId',
  'subProcessInstance', 'superCaseInstance', 'subCaseInstance', 'withIncident', 'incidentId', 'incidentType', 'incidentMessage',
  'incidentMessageLike', 'withoutTenantId', 'processDefinitionWithoutTenantId', 'activityIdIn', 'rootProcessInstances',
  'leafProcessInstances', 'rootProcessInstanceId', 'variables', 'variableNamesIgnoreCase', 'variableValuesIgnoreCase', 'orQueries',
] as const;

/** the engine's own order of an instance list, newest start first, which the merged list keeps */
const START: SortValues<ProcessInstance> = { start_time: (instance) => instance.start_time };

/** Camunda's `sortBy` values → the engine's sort fields, for a list of one status */
const SORTABLE: Readonly<Record<string, string>> = { businessKey: 'business_key', definitionKey: 'process_definition_key' };

/** the page of the instances the query finds, as the engine has them */
export function runningInstancesPage(engine: Engine, query: CamundaInstanceQuery, paging: CamundaPaging): Promise<ProcessInstance[]> {
  const { merged, list } = listing(engine, query);
  if (merged && paging.sortBy !== undefined && Object.hasOwn(SORTABLE, paging.sortBy)) {
    throw new EngineError('VALIDATION_ERROR', `Sorting by ${paging.sortBy} needs active=true or suspended=true: this engine orders active and suspended instances together only by their start, newest first`);
  }
  return camundaList(paging, SORTABLE, list);
}

export const runningInstancesCount = (engine: Engine, query: CamundaInstanceQuery): Promise<{ count: number }> => camundaCount(listing(engine, query).list);

/** the engine's list for the query: of one status, or `merged` from the lists of both */
function listing(engine: Engine, query: CamundaInstanceQuery): { merged: boolean; list: (page: PageQuery) => Promise<Page<ProcessInstance>> } {
  refuseUnsupported(query, REFUSED_INSTANCE_FILTERS);
  const filters = engineFilters(query);
  // Camunda's query keeps the last state it is given, and it is given `suspended` after `active`
  const status = query.suspended === true ? 'suspended' : query.active === true ? 'active' : undefined;
  if (status) return { merged: false, list: (page) => engine.listInstances({ ...filters, ...page, status }) };
  const read = (state: 'active' | 'suspended'): ListRead<ProcessInstance> => (page) => engine.listInstances({ ...filters, ...page, status: state });
  return { merged: true, list: mergedList([read('active'), read('suspended')], START, '-start_time') };
}

function engineFilters(query: CamundaInstanceQuery): InstanceQuery {
  return given<InstanceQuery>({
    process_definition_key: query.processDefinitionKey, process_definition_id: query.processDefinitionId, business_key: query.businessKey,
    super_instance_id: query.superProcessInstance, tenant_id: singleTenant(query.tenantIdIn),
  });
}

export const gone = (id: string) => new EngineError('NOT_FOUND', `Process instance with id ${id} does not exist`);

/** the instance while it runs; an unknown or ended one is a 404, as Camunda's runtime no longer has it */
export async function runningInstance(engine: Engine, id: string): Promise<ProcessInstanceDetails> {
  const instance = await engine.getInstance(id).catch(notFoundAs(gone(id).message));
  if (instance.end_time !== undefined) throw gone(id);
  return instance;
}

/** the engine refuses a command on an ended instance with CONFLICT, and on an unknown one with NOT_FOUND */
export const isNotRunning = (e: unknown): boolean => isEngineErrorOf(e, 'NOT_FOUND', 'CONFLICT');

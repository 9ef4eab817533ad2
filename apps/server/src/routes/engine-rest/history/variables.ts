// Camunda's historic variable instances (`/history/variable-instance`) of one process instance: the
// process-level variables the engine keeps with it, running or ended, as they stand now. The engine reads
// variables by instance only, so a query names its instance.
import { EngineError } from '@dadms/process-engine';
import type { HistoryReads } from './reads.js';
import { listOf, type ListRead, type SortValues } from '../lists.js';
import { listFilter } from '../camunda-query.js';
import { asIs, type HistoryResource } from './resource.js';
import { HISTORIC_VARIABLE_INSTANCE } from './schemas.js';
import { camundaDate, toCamundaVariables } from '../typed-values.js';

export interface HistoricVariableQuery {
  processInstanceId?: string | null;
  variableName?: string | null;
  variableNameIn?: string | string[] | null;
}

const UNSUPPORTED_FILTERS = [
  'processDefinitionId', 'processDefinitionKey', 'caseInstanceId', 'variableNameLike', 'variableValue', 'variableTypeIn', 'variableValuesIgnoreCase',
  'variableNamesIgnoreCase', 'executionIdIn', 'taskIdIn', 'processInstanceIdIn', 'activityInstanceIdIn', 'caseExecutionIdIn', 'caseActivityIdIn',
  'tenantIdIn', 'withoutTenantId', 'includeDeleted',
] as const;

type HistoricVariable = Awaited<ReturnType<typeof historicVariables>>[number];

const SORT_VALUES: SortValues<HistoricVariable> = { instance: () => undefined, name: (row) => row.name };
const SORTABLE = { instanceId: 'instance', variableName: 'name' };

/** the variables of the instance a query names that pass its filters, by name */
function historicVariableList(reads: HistoryReads, query: HistoricVariableQuery): ListRead<HistoricVariable> {
  const instanceId = query.processInstanceId;
  if (instanceId == null) {
    throw new EngineError('VALIDATION_ERROR', 'processInstanceId is required: this engine reads the variables of one process instance at a time');
  }
  const names = listFilter(query.variableNameIn);
  const matches = (row: HistoricVariable) => (query.variableName == null || row.name === query.variableName) && (!names || names.includes(row.name));
  return async (page) => {
    const found = await reads.instanceIfAny(instanceId);
    return listOf(found ? (await historicVariables(reads, found.id)).filter(matches) : [], SORT_VALUES)(page);
  };
}

/** the process-level variables of an instance as Camunda's HistoricVariableInstanceDto */
async function historicVariables(reads: HistoryReads, instanceId: string) {
  const [instance, root] = await Promise.all([reads.instance(instanceId), reads.root(instanceId)]);
  return Object.entries(toCamundaVariables(instance.variables)).map(([name, typed]) => ({
    // the engine keeps a variable as its name in its scope: that is what names it here
    id: `${instance.id}:${name}`,
    name,
    type: typed.type,
    value: typed.value,
    valueInfo: typed.valueInfo,
    processDefinitionKey: instance.process_definition_key,
    processDefinitionId: instance.process_definition_id,
    processInstanceId: instance.id,
    // a process-level variable lives in the instance's own scope, whose execution and activity instance are the instance
    executionId: instance.id,
    activityInstanceId: instance.id,
    caseDefinitionKey: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    taskId: null,
    errorMessage: null,
    tenantId: instance.tenant_id ?? null,
    state: 'CREATED',
    createTime: null,
    removalTime: root?.removal_time ? camundaDate(root.removal_time) : null,
    rootProcessInstanceId: root?.id ?? null,
  }));
}

export const variableHistory: HistoryResource<HistoricVariableQuery, HistoricVariable> = {
  path: '/variable-instance', permission: 'instances:read', post: true,
  what: 'historic variable instance',
  about: 'As Camunda 7\'s `/history/variable-instance`: the process-level variables of the one process instance `processInstanceId` names ' +
    '(required: the engine reads variables by instance), running or ended, as they stand. `sortBy` instanceId or variableName. Other filters are a 400.',
  filters: { served: { processInstanceId: 'string', variableName: 'string', variableNameIn: 'list' }, unsupported: UNSUPPORTED_FILTERS },
  fields: HISTORIC_VARIABLE_INSTANCE,
  extraQuery: { deserializeValues: { type: 'boolean', description: 'Json and Object values come as their text either way' } },
  rows: (_engine, reads, query) => ({ list: historicVariableList(reads, query), sortable: SORTABLE }),
  answer: asIs,
};

// Camunda's historic decision instances (`/history/decision-instance`) on the engine's decision history:
// each evaluation, by a business rule task or through the API, with its inputs and outputs when asked for
// (`includeInputs`, `includeOutputs`), as Camunda's cockpit reads them.
import type { DecisionInstance, DecisionInstanceQuery, Engine } from '@dadms/process-engine';
import { onlyValue, singleTenant } from '../camunda-query.js';
import type { ListRead } from '../lists.js';
import { camundaDate, toCamunda } from '../typed-values.js';
import { fromCamundaTime, inclusiveBefore, isSet, present } from './query.js';
import type { HistoryReads } from './reads.js';
import type { HistoryResource } from './resource.js';

export interface HistoricDecisionQuery {
  decisionDefinitionId?: string | null;
  decisionDefinitionKey?: string | null;
  processInstanceId?: string | null;
  activityIdIn?: string | string[] | null;
  rootDecisionInstanceId?: string | null;
  rootDecisionInstancesOnly?: boolean | null;
  tenantIdIn?: string | string[] | null;
  evaluatedAfter?: string | null;
  evaluatedBefore?: string | null;
  includeInputs?: boolean | null;
  includeOutputs?: boolean | null;
}

const UNSUPPORTED_FILTERS = [
  'decisionInstanceId', 'decisionInstanceIdIn', 'decisionDefinitionIdIn', 'decisionDefinitionKeyIn', 'decisionDefinitionName',
  'decisionDefinitionNameLike', 'processDefinitionId', 'processDefinitionKey', 'caseDefinitionId', 'caseDefinitionKey', 'caseInstanceId',
  'activityInstanceIdIn', 'withoutTenantId', 'userId', 'decisionRequirementsDefinitionId', 'decisionRequirementsDefinitionKey',
] as const;

const SORTABLE = { evaluationTime: 'evaluated_at' };

/** an evaluation, with which of its parts the query asks to see */
type HistoricDecision = DecisionInstance & { shows: { inputs: boolean; outputs: boolean } };

function historicDecisionList(engine: Engine, query: HistoricDecisionQuery): ListRead<HistoricDecision> {
  const filters: DecisionInstanceQuery = {
    decision_id: present(query.decisionDefinitionId), decision_key: present(query.decisionDefinitionKey),
    process_instance_id: present(query.processInstanceId), activity_id: onlyValue('activityIdIn', query.activityIdIn),
    root_decision_instance_id: present(query.rootDecisionInstanceId), root_only: isSet(query.rootDecisionInstancesOnly) || undefined,
    tenant_id: singleTenant(query.tenantIdIn), evaluated_after: fromCamundaTime('evaluatedAfter', query.evaluatedAfter),
    evaluated_before: inclusiveBefore(fromCamundaTime('evaluatedBefore', query.evaluatedBefore)),
  };
  const shows = shown(query);
  return async ({ sort = 'evaluated_at', ...page }) => {
    const found = await engine.listDecisionInstances({ ...filters, ...page, sort });
    return { ...found, data: found.data.map((decision) => ({ ...decision, shows })) };
  };
}

const shown = (query: Pick<HistoricDecisionQuery, 'includeInputs' | 'includeOutputs'>) => ({ inputs: isSet(query.includeInputs), outputs: isSet(query.includeOutputs) });

/** the evaluation as Camunda's HistoricDecisionInstanceDto */
async function historicDecision(reads: HistoryReads, decision: HistoricDecision) {
  const root = decision.process_instance_id ? await reads.root(decision.process_instance_id) : undefined;
  // an evaluation through the API has a removal time of its own; one of a business rule task goes with its root
  const removal = decision.removal_time ?? root?.removal_time;
  const removalTime = removal ? camundaDate(removal) : null;
  const createTime = camundaDate(decision.evaluated_at);
  const common = { decisionInstanceId: decision.id, errorMessage: null, createTime, removalTime, rootProcessInstanceId: root?.id ?? null };

  return {
    id: decision.id,
    decisionDefinitionId: decision.decision_id,
    decisionDefinitionKey: decision.decision_key,
    decisionDefinitionName: decision.decision_name ?? null,
    evaluationTime: createTime,
    removalTime,
    processDefinitionId: decision.process_definition_id ?? null,
    processDefinitionKey: decision.process_definition_key ?? null,
    processInstanceId: decision.process_instance_id ?? null,
    caseDefinitionId: null,
    caseDefinitionKey: null,
    caseInstanceId: null,
    activityId: decision.activity_id ?? null,
    activityInstanceId: decision.activity_instance_id ?? null,
    tenantId: decision.tenant_id ?? null,
    userId: decision.user_id ?? null,
    inputs: decision.shows.inputs
      ? decision.inputs.map((input, n) => ({ id: `${decision.id}:in:${n}`, ...common, clauseId: input.input_id, clauseName: input.label ?? null, ...toCamunda(input) }))
      : null,
    outputs: decision.shows.outputs
      ? decision.outputs.map((output, n) => ({
        id: `${decision.id}:out:${n}`, ...common, clauseId: output.output_id ?? null, clauseName: output.label ?? null, ruleId: output.rule_id ?? null,
        ruleOrder: output.rule_order ?? null, variableName: output.name, ...toCamunda(output),
      }))
      : null,
    rootProcessInstanceId: root?.id ?? null,
    collectResultValue: decision.collect_result_value ?? null,
    rootDecisionInstanceId: decision.root_decision_instance_id ?? null,
    decisionRequirementsDefinitionId: null,
    decisionRequirementsDefinitionKey: null,
  };
}

/** one evaluation by its id (`GET /history/decision-instance/{id}`), with its inputs and outputs when asked for */
export async function historicDecisionById(engine: Engine, reads: HistoryReads, id: string, query: Pick<HistoricDecisionQuery, 'includeInputs' | 'includeOutputs'>) {
  const decision = await engine.getDecisionInstance(id);
  return historicDecision(reads, { ...decision, shows: shown(query) });
}

export const decisionHistory: HistoryResource<HistoricDecisionQuery, HistoricDecision> = {
  path: '/decision-instance', permission: 'instances:read', post: false,
  what: 'historic decision instance',
  about: 'As Camunda 7\'s `/history/decision-instance`: the decision history (history level full), each evaluation by a business rule task or ' +
    'through the API, with its inputs and outputs when `includeInputs` and `includeOutputs` ask for them. For callers who read all work. ' +
    '`activityIdIn` and `tenantIdIn` take one value. `sortBy` evaluationTime. Other filters are a 400.',
  filters: {
    served: {
      decisionDefinitionId: 'string', decisionDefinitionKey: 'string', processInstanceId: 'string', activityIdIn: 'list', rootDecisionInstanceId: 'string',
      rootDecisionInstancesOnly: 'boolean', tenantIdIn: 'list', evaluatedAfter: 'time', evaluatedBefore: 'time',
    },
    unsupported: UNSUPPORTED_FILTERS,
  },
  fields: {
    id: 'string', decisionDefinitionId: 'string', decisionDefinitionKey: 'string', decisionDefinitionName: 'string', evaluationTime: 'date',
    removalTime: 'date', processDefinitionId: 'string', processDefinitionKey: 'string', processInstanceId: 'string', caseDefinitionId: 'string',
    caseDefinitionKey: 'string', caseInstanceId: 'string', activityId: 'string', activityInstanceId: 'string', tenantId: 'string', userId: 'string',
    rootProcessInstanceId: 'string', inputs: 'any', outputs: 'any', collectResultValue: 'any', rootDecisionInstanceId: 'string', decisionRequirementsDefinitionId: 'string',
    decisionRequirementsDefinitionKey: 'string',
  },
  extraQuery: {
    includeInputs: { type: 'boolean' }, includeOutputs: { type: 'boolean' },
    disableBinaryFetching: { type: 'boolean', description: 'no value is binary here' }, disableCustomObjectDeserialization: { type: 'boolean' },
  },
  rows: (engine, _reads, query) => ({ list: historicDecisionList(engine, query), sortable: SORTABLE }),
  answer: historicDecision,
};

// The wire models of decisions (deployed versions, deployments and evaluations), registered with the
// shared schemas by their $id.
import { bool, int, ref, str, strings, time } from '../schema-primitives.js';

export const decisionDefinition = {
  $id: 'DecisionDefinition',
  type: 'object',
  required: ['id', 'key', 'version', 'deployment_id', 'deployed_at', 'deployed_by'],
  properties: {
    id: str, key: { ...str, description: 'the decision id in its DMN file, which camunda:decisionRef and zeebe:calledDecision name' },
    name: str, version: int, version_tag: str, decision_requirements_key: { ...str, description: 'the id of the DMN file\'s definitions' },
    deployment_id: str, deployed_at: time, deployed_by: str, tenant_id: str, history_time_to_live: int, dmn_xml: str,
    decision_type: { type: 'string', enum: ['table', 'literal_expression'] },
    hit_policy: { type: 'string', enum: ['UNIQUE', 'FIRST', 'PRIORITY', 'ANY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'] },
    aggregation: { type: 'string', enum: ['SUM', 'MIN', 'MAX', 'COUNT'] },
    inputs: { type: 'array', items: { type: 'object', properties: { id: str, label: str, expression: str, type_ref: str } } },
    outputs: { type: 'array', items: { type: 'object', properties: { id: str, name: str, label: str, type_ref: str } } },
    required_decisions: { ...strings, description: 'the keys of the decisions it requires, evaluated before it' },
  },
};

export const decisionDeployment = {
  $id: 'DecisionDeployment',
  type: 'object',
  required: ['deployment_id', 'decisions', 'created'],
  properties: { deployment_id: str, decisions: { type: 'array', items: ref('DecisionDefinition') }, created: bool },
};

export const decisionInstance = {
  $id: 'DecisionInstance',
  type: 'object',
  description: 'An evaluation of a decision: what each input was, which rules gave the result and what they output. A value that holds a protected variable\'s value is `***`.',
  required: ['id', 'decision_id', 'decision_key', 'version', 'evaluated_at', 'inputs', 'outputs'],
  properties: {
    id: str, decision_id: { ...str, description: 'the decision definition (deployed version) evaluated' }, decision_key: str, decision_name: str, version: int,
    root_decision_instance_id: { ...str, description: 'on a decision an evaluation required first: the evaluation of the decision asked for' },
    process_instance_id: str, process_definition_id: str, process_definition_key: str, activity_id: str, activity_instance_id: str, tenant_id: str,
    evaluated_at: time, user_id: { ...str, description: 'who evaluated it through the API' },
    inputs: { type: 'array', items: { type: 'object', required: ['input_id', 'value'], properties: { input_id: str, label: str, value: {}, type: { ...str, description: 'the type a variable of the value would have' } } } },
    outputs: {
      type: 'array',
      description: 'each output of each rule behind the result, in the order the hit policy gives them (rule_order counts from 1); a literal expression\'s value by its variable name',
      items: { type: 'object', required: ['name', 'value'], properties: { rule_id: str, rule_order: int, output_id: str, name: str, label: str, value: {}, type: str } },
    },
    collect_result_value: { description: 'what a COLLECT aggregation (SUM, MIN, MAX, COUNT) gave' },
    removal_time: { ...time, description: 'when an evaluation through the API is removed; one of a business rule task goes with its instance' },
  },
};

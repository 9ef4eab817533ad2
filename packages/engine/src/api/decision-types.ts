// The wire types of decisions (POST and GET /decisions, POST /decisions/evaluate), snake_case as the REST API.
import type { PageQuery } from './engine.js';
import type { VariablesInput, VariableType } from './types.js';

export interface DeployDecisionsInput {
  dmn_xml: string;
  name?: string;
  tenant_id?: string;
  deployed_by?: string;
  source?: string;
}

export interface DecisionQuery extends PageQuery {
  key?: string;
  latest?: boolean;
  tenant_id?: string;
  decision_requirements_key?: string;
}

export interface EvaluateDecisionInput {
  /** the latest version of this key (of `tenant_id`, else of no tenant), unless `decision_id` names a version */
  decision_key?: string;
  decision_id?: string;
  tenant_id?: string;
  variables?: VariablesInput;
}


/** A deployed version of a DMN decision (GET /decisions); `dmn_xml` and what the decision holds only for the one */
export interface DecisionDefinition {
  id: string;
  /** the decision's id in its DMN file, which camunda:decisionRef and zeebe:calledDecision name */
  key: string;
  name?: string;
  version: number;
  version_tag?: string;
  /** the id of the DMN file's definitions */
  decision_requirements_key?: string;
  deployment_id: string;
  deployed_at: string;
  deployed_by: string;
  tenant_id?: string;
  history_time_to_live?: number;
  dmn_xml?: string;
  /** `table` (with hit_policy, inputs and outputs) or `literal_expression` */
  decision_type?: 'table' | 'literal_expression';
  hit_policy?: string;
  aggregation?: string;
  inputs?: { id: string; label?: string; expression: string; type_ref?: string }[];
  outputs?: { id: string; name: string; label?: string; type_ref?: string }[];
  /** the keys of the decisions it requires, evaluated before it */
  required_decisions?: string[];
}

export interface DecisionDeploymentResult {
  deployment_id: string;
  /** the version of each decision of the file that stands for it now */
  decisions: DecisionDefinition[];
  /** false when the same file was already the latest version of each of its decisions */
  created: boolean;
}

/** what a decision gave: each matched rule's outputs by name (one entry for a literal expression or an aggregation) */
export interface DecisionEvaluation {
  decision_id: string;
  decision_key: string;
  version: number;
  result: Record<string, unknown>[];
  /** the evaluation in the decision history (GET /decision-instances/{id}); absent below history level full */
  decision_instance_id?: string;
}

export interface DecisionInstanceQuery extends PageQuery {
  decision_key?: string;
  /** a decision definition's id: its evaluations of that version */
  decision_id?: string;
  process_instance_id?: string;
  activity_id?: string;
  /** the evaluation that required this one; `root_only` leaves required decisions out */
  root_decision_instance_id?: string;
  root_only?: boolean;
  tenant_id?: string;
  evaluated_after?: string;
  evaluated_before?: string;
}

/**
 * An evaluation of a decision in the decision history (Camunda 7's historic decision instance): what each
 * input was, which rules gave the result and what they output. Values that hold a protected variable's
 * value are the mask `***`.
 */
export interface DecisionInstance {
  id: string;
  /** the decision definition (the deployed version) evaluated */
  decision_id: string;
  decision_key: string;
  decision_name?: string;
  version: number;
  /** set on the decisions an evaluation required first: the evaluation of the decision asked for */
  root_decision_instance_id?: string;
  /** set when a business rule task evaluated it */
  process_instance_id?: string;
  process_definition_id?: string;
  process_definition_key?: string;
  activity_id?: string;
  activity_instance_id?: string;
  tenant_id?: string;
  evaluated_at: string;
  /** who evaluated it through the API */
  user_id?: string;
  /** a decision table's inputs, in its order; none for a literal expression */
  inputs: { input_id: string; label?: string; value: unknown; type: VariableType }[];
  /** each output of each rule behind the result (rule_order counts from 1), or a literal expression's value */
  outputs: { rule_id?: string; rule_order?: number; output_id?: string; name: string; label?: string; value: unknown; type: VariableType }[];
  /** what a COLLECT aggregation (SUM, MIN, MAX, COUNT) gave */
  collect_result_value?: unknown;
  /** when an evaluation through the API is removed; one of a business rule task goes with its instance */
  removal_time?: string;
}

// The wire types of decisions (POST and GET /decisions, POST /decisions/evaluate), snake_case as the REST API.
import type { PageQuery } from './engine.js';
import type { VariablesInput } from './types.js';

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
}

// DMN decisions: compiled from the XML at deploy, evaluated as Camunda 7 evaluates them, without a database.
export type {
  Aggregation,
  Decision,
  DecisionInput,
  DecisionOutput,
  DecisionResult,
  DecisionResultEntry,
  DecisionRule,
  DecisionsDocument,
  DecisionTable,
  HitPolicy,
  LiteralExpression,
  TypeRef,
  UnaryTests,
} from './decision-model.js';
export { compileDecisions } from './compile-decisions.js';
export { DecisionError } from './decision-error.js';
export { evaluateDecision, type EvaluatedDecision } from './evaluate-decision.js';
export { decisionOutput, mapDecisionResult, type DecisionResultMapping } from './map-decision-result.js';

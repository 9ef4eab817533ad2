// Decisions compiled from DMN at deploy: immutable, plain data, evaluated without a database.
import type { Expression } from '../expressions/index.js';

export type HitPolicy = 'UNIQUE' | 'FIRST' | 'PRIORITY' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';
/** as written: string, boolean, integer, long, double, date, number… */
export type TypeRef = string;

/**
 * An input entry. FEEL entries are unary tests against the input value (`?`); Camunda 7 evaluates
 * entries in other languages (JUEL) as conditions instead, true meaning a match. Unary tests whose
 * evaluation could run without bound are refused at deploy, so `feel` is always quick to test.
 */
export type UnaryTests =
  | { readonly kind: 'tests'; readonly source: string; readonly feel: string }
  | { readonly kind: 'condition'; readonly source: string; readonly condition: Expression };

export interface DecisionInput {
  readonly id: string;
  readonly label?: string;
  readonly expression: Expression;
  readonly typeRef?: TypeRef;
  /** camunda:inputVariable, default 'cellInput' */
  readonly inputVariable: string;
}

export interface DecisionOutput {
  readonly id: string;
  /** the key of this output in a result: its name, else (a table's only output) its id */
  readonly name: string;
  readonly label?: string;
  readonly typeRef?: TypeRef;
  /** outputValues, in priority order, for PRIORITY and OUTPUT ORDER */
  readonly priorities?: readonly unknown[];
}

export interface DecisionRule {
  readonly id: string;
  /** null: '-' or empty, matches anything */
  readonly inputEntries: readonly (UnaryTests | null)[];
  /** null: empty, so the output is left out of the rule's result (Camunda 7's default) */
  readonly outputEntries: readonly (Expression | null)[];
}

export interface DecisionTable {
  readonly kind: 'table';
  readonly hitPolicy: HitPolicy;
  readonly aggregation?: Aggregation;
  readonly inputs: readonly DecisionInput[];
  readonly outputs: readonly DecisionOutput[];
  readonly rules: readonly DecisionRule[];
}

export interface LiteralExpression {
  readonly kind: 'literal';
  readonly variable: { readonly name: string; readonly typeRef?: TypeRef };
  readonly expression: Expression;
}

export interface Decision {
  /** its id attribute: the decision's key */
  readonly id: string;
  readonly name?: string;
  readonly versionTag?: string;
  /** camunda:historyTimeToLive, days */
  readonly historyTimeToLive?: number;
  readonly logic: DecisionTable | LiteralExpression;
  /** ids of the decisions it requires (informationRequirement/requiredDecision) */
  readonly required: readonly string[];
}

export interface DecisionsDocument {
  readonly id: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly decisions: readonly Decision[];
}

/** one matched rule's outputs (or a literal expression's value under its variable's name) */
export type DecisionResultEntry = Readonly<Record<string, unknown>>;
export type DecisionResult = readonly DecisionResultEntry[];

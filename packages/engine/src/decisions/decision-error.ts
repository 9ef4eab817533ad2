/**
 * A decision that could not be evaluated, or whose result does not fit what was asked of it: a missing
 * variable, a value its type cannot hold, rules the hit policy does not allow to match together. The
 * business rule task turns it into an incident, as Camunda 7 does.
 */
export class DecisionError extends Error {
  /** the decision evaluated (a required decision, when that one failed); none for a result mapping */
  readonly decisionId: string | undefined;
  /** the rules concerned, where the problem lies in rules */
  readonly ruleIds: readonly string[];

  constructor(message: string, options: { decisionId?: string; ruleIds?: readonly string[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'DecisionError';
    this.decisionId = options.decisionId;
    this.ruleIds = options.ruleIds ?? [];
  }
}

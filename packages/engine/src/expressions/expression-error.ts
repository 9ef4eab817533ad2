/** A warning of the FEEL evaluator, kept as plain data so that an incident can store it. */
export interface ExpressionWarning {
  readonly type: string;
  readonly message: string;
}

/**
 * An expression that could not produce a usable value at run time: a missing variable, a type
 * mismatch, a condition that is not a boolean. The interpreter turns it into an incident.
 */
export class ExpressionError extends Error {
  /** the expression as written in the model */
  readonly expression: string;
  readonly warnings: readonly ExpressionWarning[];

  constructor(message: string, options: { expression: string; warnings?: readonly ExpressionWarning[]; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'ExpressionError';
    this.expression = options.expression;
    this.warnings = options.warnings ?? [];
  }
}

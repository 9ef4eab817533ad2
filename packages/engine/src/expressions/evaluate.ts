import { evaluate, FeelDate, FeelDateTime, FeelDuration, FeelTime } from 'feelin';
import type { Expression } from './expression.js';
import { ExpressionError, type ExpressionWarning } from './expression-error.js';
import { evaluateInTime } from './time-limit.js';

/**
 * Evaluates a compiled expression against plain JSON variables and returns a plain JSON value
 * (FEEL dates, times and durations as ISO 8601 text).
 *
 * feelin reports problems as warnings next to a `null` result instead of throwing. A result that is
 * still a value despite warnings is kept: FEEL, like JUEL, treats a missing variable as null, so the
 * common null check `${x == null}` (FEEL `x = null`) is true for a missing `x`, which is what its
 * author meant. A `null` result that comes with warnings is an error, never a silent null: it names
 * the expression and what went wrong (for instance "Variable 'x' not found").
 */
export function evaluateExpression(expression: Expression, variables: Readonly<Record<string, unknown>>): unknown {
  if (expression.literal !== undefined) return expression.literal;
  if (expression.feel === undefined) {
    throw new ExpressionError(`The expression '${expression.source}' cannot be evaluated by this engine`, { expression: expression.source });
  }
  if (expression.openEnded) return evaluateInTime(expression, variables);
  let result: ReturnType<typeof evaluate>;
  try {
    result = evaluate(expression.feel, { ...variables });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ExpressionError(`The expression '${expression.source}' failed: ${reason}`, { expression: expression.source, cause });
  }
  const warnings: ExpressionWarning[] = result.warnings.map(({ type, message }) => ({ type, message }));
  // EL's null coercions are for variables that are null, not for those that do not exist
  if (expression.strict !== undefined && warnings.some((w) => w.type === 'NO_VARIABLE_FOUND')) {
    return evaluateExpression({ source: expression.source, feel: expression.strict }, variables);
  }
  if ((result.value === null || result.value === undefined) && warnings.length > 0) {
    const reasons = [...new Set(warnings.map((w) => w.message))].join('; ');
    throw new ExpressionError(`The expression '${expression.source}' has no value: ${reasons}`, { expression: expression.source, warnings });
  }
  return toPlain(result.value, expression.source);
}

/** Evaluates a condition; anything but a boolean (null included) is an error, never a silent false. */
export function evaluateCondition(expression: Expression, variables: Readonly<Record<string, unknown>>): boolean {
  const value = evaluateExpression(expression, variables);
  if (typeof value !== 'boolean') {
    throw new ExpressionError(`The condition '${expression.source}' yields ${JSON.stringify(value)}, not true or false`, {
      expression: expression.source,
    });
  }
  return value;
}

function toPlain(value: unknown, source: string): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  if (value instanceof FeelDate || value instanceof FeelDateTime || value instanceof FeelTime || value instanceof FeelDuration) {
    return value.toString();
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => toPlain(item, source));
  if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toPlain(item, source)]));
  }
  throw new ExpressionError(`The expression '${source}' yields a ${value.constructor?.name ?? 'value'}, which is not plain data`, {
    expression: source,
  });
}

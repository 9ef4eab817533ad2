import { describe, expect, it } from 'vitest';
import { compileExpression, type PlainText } from '../../src/expressions/compile-expression.js';
import { evaluateCondition, evaluateExpression } from '../../src/expressions/evaluate.js';
import { ExpressionError } from '../../src/expressions/expression-error.js';
import type { Expression } from '../../src/expressions/expression.js';

function compiled(source: string, plain: PlainText = 'feel'): Expression {
  const result = compileExpression(source, plain);
  if ('error' in result) throw new Error(result.error);
  return result.expression;
}

function failure(run: () => unknown): ExpressionError {
  try {
    run();
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error('expected an ExpressionError');
}

describe('evaluateExpression', () => {
  it('returns a literal as it is, without evaluating it', () => {
    expect(evaluateExpression(compiled('demo', 'literal'), { demo: 'not this' })).toBe('demo');
  });

  it.each([
    ['${amount > 1000 && approved}', { amount: 1500, approved: true }, true],
    ['${amount % 2 == 0}', { amount: 4 }, true],
    ['${a ? "yes" : "no"}', { a: false }, 'no'],
    ['${execution.getVariable("amount") * 2}', { amount: 21 }, 42],
    ['${order.customer.name}', { order: { customer: { name: 'Ann' } } }, 'Ann'],
    ['user-${id}', { id: 7 }, 'user-7'],
    ['${empty list}', { list: [] }, true],
    ['${empty list}', { list: [1] }, false],
    ['${empty name}', { name: '' }, true],
    ['${empty name}', { name: 'x' }, false],
    ['${empty map}', { map: {} }, true],
    ['${empty value}', { value: null }, true],
    ['${not empty value}', { value: 0 }, true],
    ['=items[1]', { items: ['a', 'b'] }, 'a'],
    ['={total: a + b}', { a: 1, b: 2 }, { total: 3 }],
  ])('%s with %j is %j', (source, variables, expected) => {
    expect(evaluateExpression(compiled(source, 'literal'), variables)).toEqual(expected);
  });

  it('turns FEEL dates, times and durations into ISO 8601 text', () => {
    expect(evaluateExpression(compiled('=date("2024-01-31") + duration("P1M")'), {})).toBe('2024-02-29');
    expect(evaluateExpression(compiled('=date and time("2024-01-01T10:00:00Z")'), {})).toBe('2024-01-01T10:00:00Z');
    expect(evaluateExpression(compiled('=duration("PT90M")'), {})).toBe('PT1H30M');
    expect(evaluateExpression(compiled('=[time("10:30:00")]'), {})).toEqual(['10:30:00']);
  });

  it('treats a missing variable in a null check as null, as JUEL and FEEL do', () => {
    expect(evaluateExpression(compiled('${x == null}'), {})).toBe(true);
    expect(evaluateExpression(compiled('${x != null}'), {})).toBe(false);
    expect(evaluateExpression(compiled('${empty x}'), {})).toBe(true);
  });

  it('refuses a missing variable that leaves no value, naming expression and variable', () => {
    const error = failure(() => evaluateExpression(compiled('${amount > 1000}'), {}));
    expect(error.message).toContain("'${amount > 1000}'");
    expect(error.message).toContain("Variable 'amount' not found");
    expect(error.expression).toBe('${amount > 1000}');
    expect(error.warnings).toEqual([expect.objectContaining({ type: 'NO_VARIABLE_FOUND' })]);
  });

  it('refuses other warnings that leave no value', () => {
    const error = failure(() => evaluateExpression(compiled('="a" + 1'), {}));
    expect(error.warnings[0]?.type).toBe('INVALID_TYPE');
  });

  it('returns a null that is a value', () => {
    expect(evaluateExpression(compiled('${value}'), { value: null })).toBeNull();
    expect(evaluateExpression(compiled('=null'), {})).toBeNull();
  });

  it('refuses results that are not data', () => {
    expect(failure(() => evaluateExpression(compiled('=function(a) a'), {})).message).toMatch(/not plain data/);
    expect(failure(() => evaluateExpression(compiled('=[1..3]'), {})).message).toMatch(/not plain data/);
  });

  it('refuses an expression that has no FEEL form', () => {
    expect(failure(() => evaluateExpression({ source: 'println "hi"' }, {})).message).toMatch(/cannot be evaluated/);
  });
});

describe('evaluateCondition', () => {
  it('returns the boolean', () => {
    expect(evaluateCondition(compiled('${amount > 1000}'), { amount: 5 })).toBe(false);
    expect(evaluateCondition(compiled('=approved'), { approved: true })).toBe(true);
  });

  it('refuses anything but a boolean, never a silent false', () => {
    expect(failure(() => evaluateCondition(compiled('${amount}'), { amount: 5 })).message).toBe(
      "The condition '${amount}' yields 5, not true or false",
    );
    expect(failure(() => evaluateCondition(compiled('${value}'), { value: null })).message).toMatch(/yields null/);
  });

  it('refuses a condition on a missing variable', () => {
    expect(failure(() => evaluateCondition(compiled('${approved}'), {})).message).toMatch(/Variable 'approved' not found/);
  });

  it.each([
    ['${amount > 1000}', { amount: null }, false],
    ['${amount <= 1000}', { amount: null }, false],
    ['${!approved}', { approved: null }, true],
    ['${approved && amount > 1}', { approved: null, amount: 5 }, false],
    ['${approved || urgent}', { approved: null, urgent: true }, true],
    ['${approved ? amount > 1 : true}', { approved: true, amount: null }, false],
  ])('coerces a null operand as EL does: %s with %j is %j', (source, variables, expected) => {
    expect(evaluateCondition(compiled(source), variables)).toBe(expected);
  });

  it('keeps a variable that does not exist an error where only the null coercion would decide', () => {
    expect(failure(() => evaluateCondition(compiled('${!approved}'), {})).message).toMatch(/Variable 'approved' not found/);
    expect(failure(() => evaluateCondition(compiled('${amount > 1000 || urgent}'), { urgent: false })).message).toMatch(
      /Variable 'amount' not found/,
    );
    expect(evaluateCondition(compiled('${execution.getVariable("amount") != null && amount > 1000}'), {})).toBe(false);
  });
});

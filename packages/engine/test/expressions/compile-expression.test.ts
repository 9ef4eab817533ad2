import { describe, expect, it } from 'vitest';
import { compileExpression, MAX_EXPRESSION_LENGTH } from '../../src/expressions/compile-expression.js';

describe('compileExpression', () => {
  it('reads =expr as FEEL (Zeebe)', () => {
    expect(compileExpression('=amount > 1000', 'literal')).toEqual({ expression: { source: '=amount > 1000', feel: 'amount > 1000' } });
  });

  it('translates a whole ${…} or #{…} expression from JUEL', () => {
    expect(compileExpression('${amount > 1000}', 'literal')).toEqual({
      expression: { source: '${amount > 1000}', feel: 'if amount = null then false else amount > 1000', strict: 'amount > 1000' },
    });
    expect(compileExpression('#{approved}', 'feel')).toEqual({ expression: { source: '#{approved}', feel: 'approved' } });
  });

  it('ignores the white space of pretty-printed XML around an expression', () => {
    expect(compileExpression('\n      ${approved}\n    ', 'feel')).toEqual({ expression: { source: '\n      ${approved}\n    ', feel: 'approved' } });
  });

  it('turns a template into a FEEL string concatenation', () => {
    expect(compileExpression('user-${id}', 'literal')).toEqual({ expression: { source: 'user-${id}', feel: '"user-" + string(id)' } });
    expect(compileExpression('${first} ${last}!', 'literal')).toEqual({
      expression: { source: '${first} ${last}!', feel: 'string(first) + " " + string(last) + "!"' },
    });
  });

  it('reads the execution properties it is given, in a template too', () => {
    expect(compileExpression('order-${execution.processBusinessKey}', 'literal', ['processBusinessKey'])).toEqual({
      expression: { source: 'order-${execution.processBusinessKey}', feel: '"order-" + string(execution.processBusinessKey)' },
    });
    expect(compileExpression('${execution.processBusinessKey}', 'literal')).toHaveProperty('error', expect.stringMatching(/execution object/));
  });

  it('keeps an escaped \\${ as literal text', () => {
    expect(compileExpression('cost: \\${price}', 'literal')).toEqual({ expression: { source: 'cost: \\${price}', literal: 'cost: \\${price}' } });
    expect(compileExpression('\\${a} ${b}', 'literal')).toEqual({ expression: { source: '\\${a} ${b}', feel: '"${a} " + string(b)' } });
  });

  it('finds the end of an expression past braces inside strings', () => {
    expect(compileExpression('${name == "}"}', 'feel')).toEqual({ expression: { source: '${name == "}"}', feel: 'name = "}"' } });
  });

  it('reads plain text as a literal for attributes and as FEEL for conditions', () => {
    expect(compileExpression('demo', 'literal')).toEqual({ expression: { source: 'demo', literal: 'demo' } });
    expect(compileExpression('amount > 5', 'feel')).toEqual({ expression: { source: 'amount > 5', feel: 'amount > 5' } });
  });

  it.each([
    ['=amount >', 'literal', /not valid FEEL/],
    ['amount >', 'feel', /not valid FEEL/],
    ['= ', 'literal', /empty/],
    ['${bean.check()}', 'feel', /method call bean\.check/],
    ['user-${a[0]}', 'literal', /indexing/],
    ['${open', 'literal', /no closing/],
  ] as const)('refuses %s', (source, plain, message) => {
    expect(compileExpression(source, plain)).toEqual({ error: expect.stringMatching(message) });
  });

  it('translates a chain of && as long as an expression may be', () => {
    const terms = Math.floor((MAX_EXPRESSION_LENGTH - 3) / 'amount > 5 && '.length);
    const source = `\${${Array.from({ length: terms }, () => 'amount > 5').join(' && ')}}`;
    const term = 'if amount = null then false else amount > 5';
    expect(compileExpression(source, 'feel')).toHaveProperty('expression.feel', expect.stringMatching(new RegExp(`^\\(+${term}\\) and \\(${term}\\)\\) and`)));
  });

  it(`refuses an expression longer than ${MAX_EXPRESSION_LENGTH} characters before reading it`, () => {
    const longest = `=${'x'.repeat(MAX_EXPRESSION_LENGTH - 1)}`;
    expect(compileExpression(longest, 'feel')).toHaveProperty('expression');
    expect(compileExpression(`${longest}x`, 'feel')).toEqual({ error: expect.stringMatching(/2001 characters long; an expression may have at most 2000/) });
  });
});

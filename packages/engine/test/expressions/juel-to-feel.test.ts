import { describe, expect, it } from 'vitest';
import { juelToFeel } from '../../src/expressions/juel-to-feel.js';

describe('JUEL to FEEL', () => {
  it.each([
    ['approved', 'approved'],
    ['order.customer.name', 'order.customer.name'],
    ["'it''s'", undefined],
    ["'single'", '"single"'],
    ['"double"', '"double"'],
    ["'a \\'quoted\\' \"word\"'", '"a \'quoted\' \\"word\\""'],
    ['42', '42'],
    ['3.25', '3.25'],
    ['1e3', '1000'],
    ['true', 'true'],
    ['false', 'false'],
    ['null', 'null'],
    ['amount == 5', 'amount = 5'],
    ['amount != 5', 'amount != 5'],
    ['amount < 5', 'if amount = null then false else amount < 5'],
    ['amount <= 5', 'if amount = null then false else amount <= 5'],
    ['amount > 5', 'if amount = null then false else amount > 5'],
    ['amount >= 5', 'if amount = null then false else amount >= 5'],
    ['amount eq 5', 'amount = 5'],
    ['amount ne 5', 'amount != 5'],
    ['amount lt 5', 'if amount = null then false else amount < 5'],
    ['amount gt 5', 'if amount = null then false else amount > 5'],
    ['amount le 5', 'if amount = null then false else amount <= 5'],
    ['amount ge 5', 'if amount = null then false else amount >= 5'],
    ['a && b', '(a = true) and (b = true)'],
    ['a || b', '(a = true) or (b = true)'],
    ['a and b or c', '((a = true) and (b = true)) or (c = true)'],
    ['a or b and c', '(a = true) or ((b = true) and (c = true))'],
    ['!approved', 'not(approved = true)'],
    ['not approved', 'not(approved = true)'],
    ['!(a && b)', 'not((a = true) and (b = true))'],
    ['x > 1 && y < 2', '(if x = null then false else x > 1) and (if y = null then false else y < 2)'],
    ['a < b', 'if a = null or b = null then false else a < b'],
    ['1 < 2', '1 < 2'],
    ['!(x == 1) || done', 'not(x = 1) or (done = true)'],
    ['(a || b) && c', '((a = true) or (b = true)) and (c = true)'],
    ['a + b * c', 'a + (b * c)'],
    ['(a + b) * c', '(a + b) * c'],
    ['a - b - c', '(a - b) - c'],
    ['a / b', 'a / b'],
    ['a div b', 'a / b'],
    ['a % 2 == 0', 'modulo(a, 2) = 0'],
    ['a mod 2', 'modulo(a, 2)'],
    ['-a', '-a'],
    ['-(a + 1)', '-(a + 1)'],
    ['x == null', 'x = null'],
    ['ok ? "yes" : "no"', 'if ok then "yes" else "no"'],
    ['execution.getVariable("amount") > 100', 'if amount = null then false else amount > 100'],
    ["execution.getVariable('amount')", 'amount'],
    ['line\nbreak == "a\nb"', undefined],
  ])('%s → %s', (juel, feel) => {
    const result = juelToFeel(juel);
    if (feel === undefined) expect(result).toHaveProperty('error');
    else expect(result).toEqual({ feel });
  });

  it('translates empty into a type-safe emptiness test', () => {
    expect(juelToFeel('empty list')).toEqual({
      feel: '(list = null or (list instance of string and list = "") or (list instance of list and count(list) = 0) or (list instance of context and count(get entries(list)) = 0))',
    });
    expect(juelToFeel('not empty list')).toHaveProperty('feel', expect.stringMatching(/^not\(\(list = null or /));
  });

  it.each([
    ['bean.method()', /method call bean\.method/],
    ['execution.getVariable(name)', /method call execution\.getVariable/],
    ['execution.setVariable("a", 1)', /method call/],
    ['list[0]', /indexing/],
    ['execution.processBusinessKey', /execution object, which is not available/],
    ['execution', /execution object/],
    ['a = b', /unexpected '='/],
    ['a instanceof B', /instanceof/],
    ['x -> x + 1', /unexpected/],
    ['$price > 1', /'\$'/],
    ['"open', /not closed/],
    ['(a', /'\)' was expected/],
    ['a ? b', /':' was expected/],
    ['', /unexpected end/],
    ['1e999', /out of range/],
  ])('refuses %s', (juel, message) => {
    const result = juelToFeel(juel);
    expect(result).toHaveProperty('error', expect.stringMatching(message));
  });

  it('reads the properties of the execution object it is told the engine supplies, and no others', () => {
    const execution = ['processBusinessKey'];
    expect(juelToFeel('execution.processBusinessKey', execution)).toEqual({ feel: 'execution.processBusinessKey' });
    expect(juelToFeel('execution.activityId', execution)).toHaveProperty('error', expect.stringMatching(/execution\.processBusinessKey is translated/));
    expect(juelToFeel('execution.processBusinessKey.length', execution)).toHaveProperty('error', expect.stringMatching(/execution object/));
    expect(juelToFeel('execution', execution)).toHaveProperty('error', expect.stringMatching(/execution object/));
  });
});

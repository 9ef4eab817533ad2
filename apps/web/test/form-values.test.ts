// What the UI sends and shows for typed values: a generated form's inputs, a variable typed in, a query.
import { describe, expect, it } from 'vitest';
import type { FormField } from '../src/api/types.js';
import { parseValue } from '../src/components/variable-value.js';
import { initialValue, toVariables } from '../src/forms/field-values.js';
import { searchString } from '../src/search-params.js';

const field = (id: string, type: FormField['type'], value_type: FormField['value_type'], extra: Partial<FormField> = {}): FormField =>
  ({ id, label: id, type, value_type, required: false, ...extra });

describe('a generated form', () => {
  const fields = [
    field('purpose', 'string', 'String'), field('amount', 'number', 'Long'), field('urgent', 'boolean', 'Boolean'),
    field('topics', 'multiselect', 'Json'), field('on', 'date', 'Date'),
  ];

  it('starts from the variable the task sees, else the default, in the input\'s own terms', () => {
    expect(initialValue(fields[0]!, { type: 'String', value: 'Taxi' })).toBe('Taxi');
    expect(initialValue(field('n', 'number', 'Long', { default_value: '10' }), undefined)).toBe('10');
    expect(initialValue(fields[2]!, { type: 'Boolean', value: true })).toBe(true);
    expect(initialValue(field('b', 'boolean', 'Boolean', { default_value: 'true' }), undefined)).toBe(true);
    expect(initialValue(fields[3]!, undefined)).toEqual([]);
    expect(initialValue(fields[4]!, { type: 'Date', value: '2026-12-01T00:00:00.000Z' })).toBe('2026-12-01');
  });

  it('sends numbers as numbers and leaves out what is empty, for the engine to name a missing required field', () => {
    expect(toVariables(fields, { purpose: '', amount: '42', urgent: false, topics: [], on: '2026-12-01' })).toEqual({
      amount: { value: 42 }, urgent: { value: false }, on: { value: '2026-12-01' },
    });
  });
});

describe('a variable typed in', () => {
  it('is read as its type', () => {
    expect(parseValue('Long', '50')).toBe(50);
    expect(parseValue('Double', '2.5')).toBe(2.5);
    expect(parseValue('Boolean', 'false')).toBe(false);
    expect(parseValue('Json', '{"a":[1]}')).toEqual({ a: [1] });
    expect(parseValue('String', '50')).toBe('50');
    expect(parseValue('Null', 'anything')).toBeNull();
  });

  it('is refused in words when it is not one', () => {
    expect(() => parseValue('Long', '2.5')).toThrow("'2.5' is not a whole number");
    expect(() => parseValue('Integer', '')).toThrow("'' is not a whole number");
    expect(() => parseValue('Double', 'ten')).toThrow("'ten' is not a number");
    expect(() => parseValue('Boolean', 'yes')).toThrow('A Boolean is true or false');
    expect(() => parseValue('Json', '{')).toThrow('The value is not JSON');
  });
});

describe('a query string', () => {
  it('holds the parameters that are set, encoded', () => {
    expect(searchString({ status: 'active', key: undefined, business_key: '', unassigned: true, limit: 1, q: 'a&b' }))
      .toBe('?status=active&unassigned=true&limit=1&q=a%26b');
    expect(searchString({ key: undefined })).toBe('');
  });
});

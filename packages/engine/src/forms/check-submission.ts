// Checks the variables a task is completed with, or an instance started with, against the fields of its
// form, as Camunda 7 checks a submitted task or start form: each value converted to its field's type, then its camunda:validation constraints
// (required, readonly, minlength, maxlength, min, max; form-js adds pattern). The fields of a form-js
// form are checked the same way.
import type { FormField } from '../api/types.js';
import { invalid } from '../errors.js';
import type { TypedValue } from '../variables/variable-codec.js';

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * The submitted variables with each form field's value converted to the field's type; a 400 naming every
 * field in error otherwise. `form` names the form in the message (`the form of task 'Review'`). `current`
 * reads a variable the task already sees: as in Camunda 7, a required field left out of the submission is
 * satisfied by a variable that holds a value.
 */
export function checkSubmission(
  form: string,
  fields: readonly FormField[],
  submitted: ReadonlyMap<string, TypedValue>,
  current: (name: string) => TypedValue | undefined,
): Map<string, TypedValue> {
  const accepted = new Map(submitted);
  const problems: FieldProblem[] = [];
  for (const field of fields) {
    const given = submitted.get(field.id);
    const result = checkField(field, given, current(field.id));
    if (typeof result === 'string') problems.push({ field: field.id, message: `'${field.label}' (${field.id}) ${result}` });
    else if (result !== undefined) accepted.set(field.id, result);
  }
  if (problems.length > 0) {
    const list = problems.map((p) => p.message).join('; ');
    throw invalid(`${form[0]!.toUpperCase()}${form.slice(1)} is not filled in correctly: ${list}`, { problems });
  }
  return accepted;
}

const isEmpty = (value: unknown) => value === null || value === undefined || value === '';

/** The field's value in its type, undefined when none was given, or what is wrong with it. */
function checkField(field: FormField, given: TypedValue | undefined, current: TypedValue | undefined): TypedValue | undefined | string {
  const rules = field.validation_rules ?? [];
  const has = (name: string) => rules.some((rule) => rule.name === name);
  if (given === undefined || isEmpty(given.value)) {
    const satisfied = given?.value !== '' && current !== undefined && !isEmpty(current.value);
    return (field.required || has('required')) && !satisfied ? 'is required' : undefined;
  }
  if (has('readonly')) return 'is read-only and cannot be submitted';
  const value = convert(field, given.value);
  if (value === undefined) return `must be ${TYPE_NAMES[field.value_type] ?? 'a value of its type'}`;
  if (field.options !== undefined && !inOptions(field.options, value)) return `must be one of ${field.options.join(', ')}`;
  for (const rule of rules) {
    const broken = breaks(rule.name, rule.config, value);
    if (broken !== undefined) return broken;
  }
  return { type: field.value_type, value };
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  String: 'text', Long: 'a whole number', Integer: 'a whole number', Double: 'a number', Boolean: 'true or false',
  Date: 'a date', Json: 'a list of values',
};

const WHOLE = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The value as the field stores it (numbers and booleans may come as text from a plain form); undefined when it is not one. */
function convert(field: FormField, value: unknown): unknown {
  switch (field.value_type) {
    case 'String':
      return typeof value === 'string' ? value : undefined;
    case 'Long':
    case 'Integer': {
      const n = typeof value === 'string' && WHOLE.test(value.trim()) ? Number(value) : value;
      return Number.isSafeInteger(n) ? n : undefined;
    }
    case 'Double': {
      const n = typeof value === 'string' && DECIMAL.test(value.trim()) ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
    }
    case 'Boolean':
      if (typeof value === 'boolean') return value;
      return value === 'true' ? true : value === 'false' ? false : undefined;
    case 'Date': {
      const date = typeof value === 'string' ? new Date(value) : undefined;
      return date === undefined || Number.isNaN(date.getTime()) ? undefined : date.toISOString();
    }
    case 'Json':
      return Array.isArray(value) ? value : undefined;
    default:
      return value;
  }
}

const inOptions = (options: readonly string[], value: unknown) =>
  Array.isArray(value) ? value.every((item) => options.includes(String(item))) : options.includes(String(value));

/** What the value does against one constraint, undefined when it keeps it; unknown constraints (custom validators) pass. */
function breaks(name: string, config: string | undefined, value: unknown): string | undefined {
  const limit = Number(config);
  const size = typeof value === 'string' || Array.isArray(value) ? value.length : undefined;
  switch (name) {
    case 'minlength': return size !== undefined && size < limit ? `must be at least ${limit} characters long` : undefined;
    case 'maxlength': return size !== undefined && size > limit ? `must be at most ${limit} characters long` : undefined;
    case 'min': return typeof value === 'number' && value < limit ? `must be at least ${limit}` : undefined;
    case 'max': return typeof value === 'number' && value > limit ? `must be at most ${limit}` : undefined;
    case 'pattern': return typeof value === 'string' && !matches(config ?? '', value) ? `must match the pattern ${config}` : undefined;
    default: return undefined;
  }
}

/** form-js matches the whole value; a pattern that is no regular expression lets everything through, as form-js does. */
function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return true;
  }
}

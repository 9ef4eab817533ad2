// The values of a generated form: what each input starts with, and the variables they are sent as.
import type { FormField, ProcessVariable } from '../api/types.js';

export type FieldValues = Record<string, string | boolean | string[]>;
export type SubmittedVariables = Record<string, { value: unknown }>;

export function initialValue(field: FormField, current: ProcessVariable | undefined): string | boolean | string[] {
  const value = current?.value ?? field.default_value;
  if (field.type === 'boolean') return value === true || value === 'true';
  if (field.type === 'multiselect') return Array.isArray(value) ? value.map(String) : [];
  if (field.type === 'date' && typeof value === 'string') return value.slice(0, 10);
  return value === undefined || value === null ? '' : String(value);
}

/** The values as variables: empty inputs are left out, so that the engine tells a required field that is missing. */
export function toVariables(fields: readonly FormField[], values: FieldValues): SubmittedVariables {
  const variables: SubmittedVariables = {};
  for (const field of fields) {
    const value = values[field.id];
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    variables[field.id] = { value: field.type === 'number' && typeof value === 'string' ? Number(value) : value };
  }
  return variables;
}

// Camunda 7's form variables of a task (`GET /task/{id}/form-variables`): first each field of its generated
// form (camunda:formData) with the value it shows, the variable of the field's id or else the field's
// default, in the type of the field (a date field shows `dd/MM/yyyy` text); then the other variables
// visible at the task. A form-js form has no such fields in Camunda 7, only the variables.
import type { FormField, TaskDetails } from '@dadms/process-engine';
import { camundaVariables } from './dto.js';
import type { CamundaTypedValue } from '../typed-values.js';

export function formVariables(task: TaskDetails, names: readonly string[] | undefined, deserialize: boolean): Record<string, CamundaTypedValue> {
  const wanted = (name: string) => names === undefined || names.includes(name);
  const fields = task.form_schema === undefined ? task.form_fields.filter((field) => wanted(field.id)) : [];
  const shown = Object.fromEntries(fields.map((field) => [field.id, fieldValue(field, task.variables[field.id]?.value ?? field.default_value ?? null)]));
  const others = Object.fromEntries(Object.entries(camundaVariables(task.variables, deserialize)).filter(([name]) => wanted(name) && !Object.hasOwn(shown, name)));
  return { ...shown, ...others };
}

function fieldValue(field: FormField, value: unknown): CamundaTypedValue {
  if (field.value_type === 'Date') return { type: 'String', value: value === null ? null : dayOf(value), valueInfo: {} };
  return { type: field.value_type, value: value === null ? null : asType(field.value_type, value), valueInfo: {} };
}

function asType(type: FormField['value_type'], value: unknown): unknown {
  if (type === 'Long' || type === 'Integer' || type === 'Double') {
    const number = Number(value);
    return Number.isFinite(number) ? number : value;
  }
  if (type === 'Boolean') return value === true || value === 'true';
  return type === 'String' ? String(value) : value;
}

/** a date as a Camunda date field shows it; a default already written that way stays as it is */
function dayOf(value: unknown): string {
  const date = typeof value === 'string' && /^\d{4}-/.test(value) ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) return String(value);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCDate())}/${two(date.getUTCMonth() + 1)}/${date.getUTCFullYear()}`;
}

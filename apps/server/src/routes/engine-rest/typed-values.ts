// Variables as Camunda 7's REST API writes them (`{ "type": "String", "value": …, "valueInfo": {…} }`), to
// and from the engine's own. Camunda sends Json and serialized Object values as text, and dates as
// `2024-01-31T10:00:00.000+0000`; its clients expect the same back.
import { EngineError, type ProcessVariable, type ProcessVariableInput, type VariablesInput, type VariableValueInfo } from '@dadms/process-engine';

export interface CamundaTypedValue {
  value?: unknown;
  type?: string;
  valueInfo?: Record<string, unknown>;
}

const VALUE_INFO_NAMES: Readonly<Record<string, keyof VariableValueInfo>> = {
  objectTypeName: 'object_type_name', serializationDataFormat: 'serialization_data_format', filename: 'filename', mimeType: 'mimetype', encoding: 'encoding',
};
const CAMUNDA_VALUE_INFO_NAMES = Object.fromEntries(Object.entries(VALUE_INFO_NAMES).map(([camunda, ours]) => [ours, camunda]));

/** a Camunda variable map as the engine takes variables; a value it cannot hold is a 400 naming the variable */
export function fromCamundaVariables(variables: Record<string, CamundaTypedValue> | undefined): VariablesInput | undefined {
  if (variables === undefined || variables === null) return undefined;
  return Object.fromEntries(Object.entries(variables).map(([name, typed]) => [name, fromCamunda(name, typed)]));
}

function fromCamunda(name: string, { value = null, type, valueInfo }: CamundaTypedValue): ProcessVariableInput {
  const kind = type?.toLowerCase();
  if (kind === 'file' || kind === 'bytes') {
    throw new EngineError('VALIDATION_ERROR', `The variable '${name}' is of type ${type}, which this engine does not store`);
  }
  const info = valueInfo && Object.fromEntries(Object.entries(valueInfo).flatMap(([key, v]) => (VALUE_INFO_NAMES[key] ? [[VALUE_INFO_NAMES[key], v]] : [])));
  const input: ProcessVariableInput = { value: textAsJson(name, kind, value), ...(type ? { type: type as ProcessVariableInput['type'] } : {}) };
  return info && Object.keys(info).length ? { ...input, value_info: info as VariableValueInfo } : input;
}

/** Camunda writes Json values, and Object values serialized as JSON, as their text */
function textAsJson(name: string, kind: string | undefined, value: unknown): unknown {
  if ((kind !== 'json' && kind !== 'object') || typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new EngineError('VALIDATION_ERROR', `The ${kind} variable '${name}' is not JSON text`);
  }
}

/** the engine's variables as Camunda's REST API answers them */
export function toCamundaVariables(variables: Record<string, ProcessVariable>): Record<string, CamundaTypedValue> {
  return Object.fromEntries(Object.entries(variables).map(([name, variable]) => [name, toCamunda(variable)]));
}

/** one value as Camunda's REST API answers it */
export function toCamunda({ value, type, value_info }: Pick<ProcessVariable, 'value' | 'type' | 'value_info'>): CamundaTypedValue {
  const valueInfo = Object.fromEntries(Object.entries(value_info ?? {}).map(([key, v]) => [CAMUNDA_VALUE_INFO_NAMES[key] ?? key, v]));
  const written = (type === 'Json' || type === 'Object') && value !== null ? JSON.stringify(value) : type === 'Date' && typeof value === 'string' ? camundaDate(value) : value;
  return { type, value: written, valueInfo };
}

/** `2024-01-31T10:00:00.000+0000`, Camunda's REST date format */
export const camundaDate = (iso: string): string => new Date(iso).toISOString().replace(/Z$/, '+0000');

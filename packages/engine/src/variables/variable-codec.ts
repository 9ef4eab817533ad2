// One place that knows how a variable travels: client input (type inferred when left out), the
// columns of process_variables, and the ProcessVariable the API answers.
import type { ProcessVariable, ProcessVariableInput, VariableType, VariableValueInfo, VariablesInput } from '../api/types.js';
import { invalid } from '../errors.js';
import { isSealed, keyIdOf, missingKey } from '../protection/sealed-text.js';
import { parseIsoDateTime } from '../timers/iso-date-time.js';

export interface TypedValue {
  type: VariableType;
  value: unknown;
  value_info?: VariableValueInfo;
}

export interface VariableColumns {
  type: string;
  value_text: string | null;
  value_long: number | null;
  value_double: number | null;
  value_info: string | null;
}

const TYPES: Record<string, VariableType> = Object.fromEntries(
  (['Null', 'Boolean', 'String', 'Integer', 'Long', 'Double', 'Date', 'Json', 'Xml', 'File', 'Bytes', 'Object'] as const)
    .map((t) => [t.toLowerCase(), t]),
);
const INT_MAX = 2 ** 31 - 1;
const INT_MIN = -(2 ** 31);
/** standard base64, padded or not: how Camunda clients send the content of Bytes and File variables */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

export function inferType(value: unknown): VariableType {
  if (value === null || value === undefined) return 'Null';
  if (typeof value === 'boolean') return 'Boolean';
  if (typeof value === 'number') {
    // an integer past 2^53 is no longer exact: it is a Double, as JSON's 1e300 is
    if (!Number.isSafeInteger(value)) return 'Double';
    return value >= INT_MIN && value <= INT_MAX ? 'Integer' : 'Long';
  }
  if (typeof value === 'string') return 'String';
  if (value instanceof Date) return 'Date';
  return 'Json';
}

/** Checks a declared type against the value (types match case-insensitively, as Camunda clients send them). */
export function toTypedValue(name: string, input: ProcessVariableInput): TypedValue {
  if (input === null || typeof input !== 'object' || !('value' in input)) {
    throw invalid(`Variable '${name}' must be an object with a 'value'`);
  }
  const value = input.value === undefined ? null : input.value;
  const declared = input.type === undefined ? undefined : TYPES[String(input.type).toLowerCase()];
  if (input.type !== undefined && !declared) throw invalid(`Variable '${name}' has an unknown type '${String(input.type)}'`);
  const type = declared ?? inferType(value);
  const bad = () => invalid(`Variable '${name}' of type ${type} cannot hold ${JSON.stringify(value)}`);
  if (value !== null) {
    switch (type) {
      case 'Null': throw bad();
      case 'Boolean': if (typeof value !== 'boolean') throw bad(); break;
      case 'String': case 'Xml': if (typeof value !== 'string') throw bad(); break;
      case 'Integer': if (!Number.isInteger(value) || (value as number) > INT_MAX || (value as number) < INT_MIN) throw bad(); break;
      case 'Long': if (!Number.isSafeInteger(value)) throw bad(); break;
      case 'Double': if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(); break;
      case 'Bytes': case 'File': if (typeof value !== 'string' || !BASE64.test(value)) throw bad(); break;
      case 'Date': {
        // ISO 8601 only: JavaScript's own reading takes '1' for 2001 and rolls February 30 over into March
        const d = value instanceof Date ? value : typeof value === 'string' ? parseIsoDateTime(value) : undefined;
        if (!d || Number.isNaN(d.getTime())) throw bad();
        return { type, value: d.toISOString(), value_info: input.value_info };
      }
      default: break;
    }
  }
  return { type, value, ...(input.value_info ? { value_info: input.value_info } : {}) };
}

export function toTypedValues(variables: VariablesInput | undefined): Map<string, TypedValue> {
  const out = new Map<string, TypedValue>();
  if (variables === undefined || variables === null) return out;
  if (typeof variables !== 'object' || Array.isArray(variables)) throw invalid('variables must be an object of name → { value, type? }');
  for (const [name, input] of Object.entries(variables)) out.set(name, toTypedValue(name, input));
  return out;
}

/** A value produced inside the engine (script, mapping, FEEL result): its type is inferred. */
export const typedFromValue = (value: unknown): TypedValue => {
  const type = inferType(value);
  return { type, value: value instanceof Date ? value.toISOString() : value === undefined ? null : value };
};

export function encodeVariable(v: TypedValue): VariableColumns {
  const numeric = typeof v.value === 'number';
  return {
    type: v.type,
    value_text: JSON.stringify(v.value ?? null),
    value_long: numeric && Number.isSafeInteger(v.value) ? (v.value as number) : null,
    value_double: numeric ? (v.value as number) : null,
    value_info: v.value_info ? JSON.stringify(v.value_info) : null,
  };
}

export function decodeVariable(row: { type: string; value_text: string | null; value_info: string | null }): TypedValue {
  const value = row.value_text === null ? null : parsedValue(row.value_text);
  return { type: row.type as VariableType, value, ...(row.value_info ? { value_info: JSON.parse(row.value_info) } : {}) };
}

export const toProcessVariable = (v: TypedValue): ProcessVariable =>
  ({ value: v.value, type: v.type, ...(v.value_info ? { value_info: v.value_info } : {}) });

/** text still encrypted here was read by an engine with no key that opens it: say which key it needs */
function parsedValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw isSealed(text) ? missingKey(keyIdOf(text)) : e;
  }
}

// The typeRef of an input, output or literal expression's variable converts its value as Camunda 7's
// DmnDataTypeTransformers do: null stays null, a value the type cannot hold is an error, and a typeRef
// Camunda 7 has no transformer for leaves the value as it is. 'number', FEEL's own name, is read as
// 'double'. Values stay plain JSON: a date is ISO text, a string of an object or list is its JSON, and a
// long must be a number JSON holds exactly.
import type { TypeRef } from './decision-model.js';

export type Conversion = { readonly value: unknown } | { readonly error: string };

const INT_MAX = 2 ** 31 - 1;
const WHOLE = /^[+-]?\d+$/;
/** what Java's Double.parseDouble reads, less NaN, infinities and hexadecimal */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** the start Camunda 7's date format (yyyy-MM-dd'T'HH:mm:ss) requires; it ignores what follows */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;

export function convertToType(value: unknown, typeRef: TypeRef | undefined): Conversion {
  if (value === null || value === undefined || typeRef === undefined) return { value: value ?? null };
  const type = typeRef.trim().toLowerCase();
  switch (type) {
    case 'string':
      return { value: typeof value === 'object' ? JSON.stringify(value) : String(value) };
    case 'boolean':
      return typeof value === 'boolean' ? { value } : fromText(value, type, booleanText);
    case 'integer':
      return whole(value, type, INT_MAX);
    case 'long':
      return whole(value, type, Number.MAX_SAFE_INTEGER);
    case 'double':
    case 'number':
      return typeof value === 'number' ? { value } : fromText(value, type, numericText);
    case 'date':
      return typeof value === 'string' && DATE_TIME.test(value) ? { value } : refused(value, type, ' (a date and time such as 2024-05-31T12:00:00)');
    default:
      return { value };
  }
}

function whole(value: unknown, type: string, max: number): Conversion {
  const number = typeof value === 'number' ? value : typeof value === 'string' && WHOLE.test(value) ? Number(value) : undefined;
  if (number === undefined || !Number.isInteger(number) || number > max || number < -max - (type === 'integer' ? 1 : 0)) {
    return refused(value, type);
  }
  return { value: number };
}

function fromText(value: unknown, type: string, read: (text: string) => unknown): Conversion {
  const converted = typeof value === 'string' ? read(value) : undefined;
  return converted === undefined ? refused(value, type) : { value: converted };
}

/** the number decimal text stands for, as Java reads it (white space around it allowed) */
export function numericText(text: string): number | undefined {
  return DECIMAL.test(text.trim()) ? Number(text) : undefined;
}

function booleanText(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}

function refused(value: unknown, type: string, hint = ''): Conversion {
  const shown = JSON.stringify(value);
  return { error: `${shown.length > 60 ? `${shown.slice(0, 60)}…` : shown} is not a value of the type '${type}'${hint}` };
}

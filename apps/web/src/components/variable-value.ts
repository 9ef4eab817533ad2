import type { VariableType } from '../api/types.js';

/** The text typed for a value, read as its type; throws a sentence when it is not one. */
export function parseValue(type: VariableType, text: string): unknown {
  switch (type) {
    case 'Integer': case 'Long': case 'Double': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n) || (type !== 'Double' && !Number.isInteger(n))) throw new Error(`'${text}' is not ${type === 'Double' ? 'a number' : 'a whole number'}`);
      return n;
    }
    case 'Boolean':
      if (text !== 'true' && text !== 'false') throw new Error('A Boolean is true or false');
      return text === 'true';
    case 'Json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new Error('The value is not JSON');
      }
    case 'Null': return null;
    default: return text;
  }
}

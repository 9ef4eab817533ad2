import { parseExpression } from 'feelin';

/**
 * Why a FEEL expression does not parse, or undefined when it does. The parser recovers from errors
 * and marks them as error nodes in the tree instead of throwing, so the tree is searched for them.
 */
export function feelSyntaxError(feel: string): string | undefined {
  if (feel.trim() === '') return 'the expression is empty';
  let error: string | undefined;
  try {
    parseExpression(feel, {}, undefined).iterate({
      enter(node) {
        if (error !== undefined) return false;
        if (!node.type.isError) return undefined;
        const near = feel.slice(node.from, node.from + 20);
        error = near === '' ? `it ends too early (at position ${node.from})` : `unexpected '${near}' at position ${node.from}`;
        return false;
      },
    });
  } catch (cause) {
    return cause instanceof Error ? cause.message : String(cause);
  }
  return error;
}

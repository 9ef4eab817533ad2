import { parseExpression } from 'feelin';

/**
 * Constructs whose cost has no bound in the size of the expression and its variables: loops and
 * quantifiers over ranges (`for x in 1..1000000000`), functions the expression defines (recursion),
 * context literals (an entry may double the one before it), and regular expressions (backtracking).
 */
const OPEN_ENDED_NODES = new Set(['ForExpression', 'QuantifiedExpression', 'FunctionDefinition', 'Context']);
const REGEXP_FUNCTIONS = new Set(['matches', 'replace', 'split']);

export type FeelReading = { readonly error: string } | { readonly openEnded: boolean };

/**
 * Reads FEEL text once: why it does not parse, or whether its evaluation may run for an unbounded time.
 * The parser recovers from errors and marks them as error nodes in the tree instead of throwing, so
 * the tree is searched for them.
 */
export function readFeel(feel: string): FeelReading {
  if (feel.trim() === '') return { error: 'the expression is empty' };
  let error: string | undefined;
  let openEnded = false;
  try {
    parseExpression(feel, {}, undefined).iterate({
      enter(node) {
        if (error !== undefined) return false;
        if (node.type.isError) {
          const near = feel.slice(node.from, node.from + 20);
          error = near === '' ? `it ends too early (at position ${node.from})` : `unexpected '${near}' at position ${node.from}`;
          return false;
        }
        if (OPEN_ENDED_NODES.has(node.name)) openEnded = true;
        if (node.name === 'FunctionInvocation') {
          const callee = node.node.firstChild;
          if (callee !== null && REGEXP_FUNCTIONS.has(feel.slice(callee.from, callee.to))) openEnded = true;
        }
        return undefined;
      },
    });
  } catch (cause) {
    return { error: cause instanceof Error ? cause.message : String(cause) };
  }
  return error === undefined ? { openEnded } : { error };
}

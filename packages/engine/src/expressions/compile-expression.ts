import type { Expression } from './expression.js';
import { feelString } from './feel-text.js';
import { readFeel } from './read-feel.js';
import { juelToFeel } from './juel-to-feel.js';

/**
 * How text without any expression marker is read: an attribute (`assignee="demo"`) is a literal,
 * a condition or script is FEEL.
 */
export type PlainText = 'literal' | 'feel';

export type ExpressionCompilation = { readonly expression: Expression } | { readonly error: string };

/**
 * The longest expression text accepted. The FEEL parser's cost grows with the square of the entries of
 * one list or context literal (about 0.1 s at this length), and feelin parses again at every evaluation,
 * so a longer expression could hold the event loop at deploy and at every run.
 */
export const MAX_EXPRESSION_LENGTH = 2000;

/**
 * Compiles model text into an Expression: `=expr` is FEEL (Zeebe), `${…}`/`#{…}` is JUEL translated to
 * FEEL (Camunda 7), a template such as `user-${id}` becomes a FEEL string concatenation, and other text
 * is read as `plain` says. FEEL syntax is checked here, so nothing unparsable reaches run time.
 * `execution`: what JUEL may read of Camunda's execution object (juel-to-feel.ts).
 */
export function compileExpression(source: string, plain: PlainText, execution: readonly string[] = []): ExpressionCompilation {
  const trimmed = source.trim();
  if (trimmed.length > MAX_EXPRESSION_LENGTH) {
    return { error: `it is ${trimmed.length} characters long; an expression may have at most ${MAX_EXPRESSION_LENGTH}` };
  }
  if (trimmed.startsWith('=')) return feel(source, trimmed.slice(1));
  // Surrounding white space comes from pretty-printed XML bodies, not from the author's intent.
  const parts = splitTemplate(trimmed);
  if ('error' in parts) return parts;
  const [only] = parts;
  if (parts.length === 1 && only?.kind === 'expression') return fromJuel(source, only.text, execution);
  if (parts.some((part) => part.kind === 'expression')) return fromTemplate(source, parts, execution);
  return plain === 'literal' ? { expression: { source, literal: source } } : feel(source, trimmed);
}

function feel(source: string, text: string): ExpressionCompilation {
  const reading = readFeel(text);
  if ('error' in reading) return { error: `it is not valid FEEL: ${reading.error}` };
  return { expression: { source, feel: text.trim(), ...(reading.openEnded ? { openEnded: true } : {}) } };
}

function fromJuel(source: string, juel: string, execution: readonly string[]): ExpressionCompilation {
  const translation = juelToFeel(juel, execution);
  if ('error' in translation) return { error: translation.error };
  const compiled = feel(source, translation.feel);
  const strict = juelToFeel(juel, execution, false);
  if ('error' in compiled || 'error' in strict || strict.feel === translation.feel) return compiled;
  return { expression: { ...compiled.expression, strict: strict.feel } };
}

/** JUEL coerces every part of a composite expression to a string, hence string() around each. */
function fromTemplate(source: string, parts: readonly TemplatePart[], execution: readonly string[]): ExpressionCompilation {
  const feelParts: string[] = [];
  for (const part of parts) {
    if (part.kind === 'literal') {
      if (part.text !== '') feelParts.push(feelString(part.text));
      continue;
    }
    const translation = juelToFeel(part.text, execution);
    if ('error' in translation) return { error: translation.error };
    feelParts.push(`string(${translation.feel})`);
  }
  return feel(source, feelParts.join(' + '));
}

type TemplatePart = { readonly kind: 'literal' | 'expression'; readonly text: string };

/** Splits `a ${b} c` into literal and expression parts; `\${` is a literal `${`, as in EL. */
function splitTemplate(source: string): TemplatePart[] | { error: string } {
  const parts: TemplatePart[] = [];
  let literal = '';
  let pos = 0;
  while (pos < source.length) {
    const char = source[pos]!;
    if (char === '\\' && (source[pos + 1] === '$' || source[pos + 1] === '#') && source[pos + 2] === '{') {
      literal += source.slice(pos + 1, pos + 3);
      pos += 3;
    } else if ((char === '$' || char === '#') && source[pos + 1] === '{') {
      const end = closingBrace(source, pos + 2);
      if (end === undefined) return { error: `the expression starting at position ${pos} has no closing '}'` };
      if (literal !== '') parts.push({ kind: 'literal', text: literal });
      literal = '';
      parts.push({ kind: 'expression', text: source.slice(pos + 2, end) });
      pos = end + 1;
    } else {
      literal += char;
      pos++;
    }
  }
  if (literal !== '' || parts.length === 0) parts.push({ kind: 'literal', text: literal });
  return parts;
}

/** The `}` that ends an expression body, skipping braces inside string literals. */
function closingBrace(source: string, from: number): number | undefined {
  let quote: string | undefined;
  for (let i = from; i < source.length; i++) {
    const char = source[i];
    if (quote !== undefined) {
      if (char === '\\') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '}') {
      return i;
    }
  }
  return undefined;
}

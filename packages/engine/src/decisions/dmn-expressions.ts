// The expressions of a DMN file in the languages Camunda 7 evaluates them in: FEEL by default (7.13+),
// JUEL where an element or the file says so. Script languages are refused: this engine runs no scripts.
import { parseUnaryTests } from 'feelin';
import { compileExpression, type ExpressionCompilation } from '../expressions/index.js';
import { MAX_EXPRESSION_LENGTH } from '../expressions/compile-expression.js';
import type { UnaryTests } from './decision-model.js';

export type Language = 'feel' | 'juel';

/** the FEEL namespaces of DMN 1.1 to 1.5, as Camunda 7 recognises them besides plain 'feel' */
const FEEL_URIS = new Set([
  'http://www.omg.org/spec/FEEL/20140401',
  'http://www.omg.org/spec/DMN/20180521/FEEL/',
  'https://www.omg.org/spec/DMN/20191111/FEEL/',
  'https://www.omg.org/spec/DMN/20211108/FEEL/',
  'https://www.omg.org/spec/DMN/20230324/FEEL/',
]);

/** An element's own expressionLanguage, else the file's, else FEEL; or why it is none this engine has. */
export function languageOf(own: string | undefined, fileDefault: string | undefined): Language | { readonly error: string } {
  const language = (own ?? fileDefault ?? 'feel').trim();
  if (FEEL_URIS.has(language) || language.toLowerCase() === 'feel') return 'feel';
  if (language.toLowerCase() === 'juel') return 'juel';
  return { error: `its expression language '${language}' is not supported; use FEEL (or JUEL)` };
}

/** An input expression, output entry or literal expression. */
export function compileDmnExpression(text: string, language: Language): ExpressionCompilation {
  return compileExpression(language === 'juel' ? asJuel(text) : text, 'feel');
}

/** An input entry: null for '-' or nothing, which match any value. */
export function compileInputEntry(text: string, language: Language): { readonly entry: UnaryTests | null } | { readonly error: string } {
  const source = text.trim();
  if (source === '' || source === '-') return { entry: null };
  if (language === 'juel') {
    const compiled = compileExpression(asJuel(source), 'feel');
    return 'error' in compiled ? compiled : { entry: { kind: 'condition', source, condition: compiled.expression } };
  }
  if (source.length > MAX_EXPRESSION_LENGTH) {
    return { error: `it is ${source.length} characters long; an entry may have at most ${MAX_EXPRESSION_LENGTH}` };
  }
  const reading = readUnaryTests(source);
  return reading === undefined ? { entry: { kind: 'tests', source, feel: source } } : { error: reading };
}

/** Camunda 7 reads JUEL text without `${…}` around it as if it had them. */
function asJuel(text: string): string {
  const trimmed = text.trim();
  return /^[$#]\{[\s\S]*\}$/.test(trimmed) ? trimmed : `\${${trimmed}}`;
}

/**
 * Loops, quantifiers, function definitions, context literals and regular expressions may take any time
 * (see expressions/read-feel.ts). An input entry is tested against every rule's value on the engine's
 * thread, so such entries are refused; their logic belongs in the input expression, which runs under a
 * time limit.
 */
const UNBOUNDED = new Set(['ForExpression', 'QuantifiedExpression', 'FunctionDefinition', 'Context']);
const REGEXP = new Set(['matches', 'replace', 'split']);

/** why FEEL unary tests cannot be used, if they cannot */
function readUnaryTests(source: string): string | undefined {
  let problem: string | undefined;
  try {
    parseUnaryTests(source, {}, undefined).iterate({
      enter(node) {
        problem ??= nodeProblem(node, source);
        return problem === undefined ? undefined : false;
      },
    });
  } catch (cause) {
    return `it is not valid FEEL unary tests: ${cause instanceof Error ? cause.message : String(cause)}`;
  }
  return problem;
}

type Tree = ReturnType<typeof parseUnaryTests>;
/** a node of the parse tree, as lezer hands it to `enter` */
type Node = Parameters<Parameters<Tree['iterate']>[0]['enter']>[0];

function nodeProblem(node: Node, source: string): string | undefined {
  if (node.type.isError) {
    const near = source.slice(node.from, node.from + 20);
    return `it is not valid FEEL unary tests: ${near === '' ? 'it ends too early' : `unexpected '${near}' at position ${node.from}`}`;
  }
  if (UNBOUNDED.has(node.name)) {
    const construct = node.name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    return `it uses a ${construct}, which an input entry may not (its time would have no bound); compute it in the input expression`;
  }
  if (node.name !== 'FunctionInvocation') return undefined;
  const callee = node.node.firstChild;
  const name = callee === null ? '' : source.slice(callee.from, callee.to);
  return REGEXP.has(name)
    ? `it calls ${name}(), whose regular expression an input entry may not run (its time would have no bound); call it in the input expression`
    : undefined;
}

// Camunda 7 writes expressions in JUEL (`${…}`, Java Unified EL); this engine evaluates FEEL only. The
// common subset is translated once, at deploy: names and dotted paths, literals, comparisons, logic,
// `empty`, arithmetic, `a ? b : c`, and `execution.getVariable("x")` (which is just `x`). Everything
// else (method calls on beans, indexing, lambdas) is refused at deploy, naming the construct.
import { feelNumber, feelString } from './feel-text.js';

export type JuelTranslation = { readonly feel: string } | { readonly error: string };

type Token =
  | { readonly kind: 'name'; readonly text: string; readonly pos: number }
  | { readonly kind: 'number'; readonly text: string; readonly pos: number }
  | { readonly kind: 'string'; readonly value: string; readonly pos: number }
  | { readonly kind: 'symbol'; readonly text: string; readonly pos: number }
  | { readonly kind: 'end'; readonly pos: number };

/**
 * FEEL text plus whether it can be used as an operand without parentheses, whether it always yields a
 * boolean (a comparison, a logical operator, `empty`), and whether it is a literal, which is never null.
 */
interface Feel {
  readonly text: string;
  readonly atomic: boolean;
  readonly boolean?: boolean;
  readonly literal?: boolean;
}

class JuelSyntaxError extends Error {}

const SYMBOLS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '+', '-', '*', '/', '%', '(', ')', '.', '?', ':', ',', '[', ']', '{', '}', ';', '='];
const NAME = /^[\p{L}_][\p{L}\p{N}_]*/u;
const NUMBER = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/;

const COMPARISONS: Readonly<Record<string, string>> = {
  '==': '=', eq: '=', '!=': '!=', ne: '!=', '<': '<', lt: '<', '>': '>', gt: '>', '<=': '<=', le: '<=', '>=': '>=', ge: '>=',
};

/**
 * `execution` lists the properties of Camunda's execution object the expression may read, where the
 * engine supplies that object (a call activity's own attributes): they stay paths into it.
 * `coerceNulls: false` leaves out EL's coercions of null operands (`truth`, `ordered`).
 */
export function juelToFeel(source: string, execution: readonly string[] = [], coerceNulls = true): JuelTranslation {
  try {
    const parser = new JuelParser(tokenize(source), execution, coerceNulls);
    const feel = parser.expression();
    parser.expectEnd();
    return { feel: feel.text };
  } catch (error) {
    if (error instanceof JuelSyntaxError) return { error: error.message };
    throw error;
  }
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < source.length) {
    const rest = source.slice(pos);
    const space = /^\s+/.exec(rest);
    if (space) {
      pos += space[0].length;
      continue;
    }
    const char = rest[0]!;
    if (char === '"' || char === "'") {
      const { value, length } = readString(rest, pos);
      tokens.push({ kind: 'string', value, pos });
      pos += length;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', text: number[0], pos });
      pos += number[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', text: name[0], pos });
      pos += name[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((s) => rest.startsWith(s));
    if (symbol === undefined) throw new JuelSyntaxError(`'${char}' at position ${pos} is not part of the supported \${…} subset`);
    tokens.push({ kind: 'symbol', text: symbol, pos });
    pos += symbol.length;
  }
  tokens.push({ kind: 'end', pos });
  return tokens;
}

/** An EL string literal: only the quote and the backslash itself can be escaped. */
function readString(rest: string, pos: number): { value: string; length: number } {
  const quote = rest[0]!;
  let value = '';
  for (let i = 1; i < rest.length; i++) {
    const char = rest[i]!;
    if (char === quote) return { value, length: i + 1 };
    if (char === '\\' && (rest[i + 1] === quote || rest[i + 1] === '\\')) {
      value += rest[i + 1];
      i++;
    } else {
      value += char;
    }
  }
  throw new JuelSyntaxError(`the string starting at position ${pos} is not closed`);
}

const operand = (feel: Feel): string => (feel.atomic ? feel.text : `(${feel.text})`);
const compound = (text: string): Feel => ({ text, atomic: false });
const test = (text: string): Feel => ({ text, atomic: false, boolean: true });

/**
 * EL coerces the operands of `&&`, `||` and `!` to booleans, null to false; FEEL's three-valued logic would
 * make `null && x` null, which a condition refuses. A value of another type still compares to null.
 */
const truth = (feel: Feel, coerceNulls: boolean): Feel => (feel.boolean || !coerceNulls ? feel : test(`${operand(feel)} = true`));

/** EL: `<`, `>`, `<=`, `>=` with a null operand are false, where FEEL's comparison would be null. */
function ordered(left: Feel, op: string, right: Feel, coerceNulls: boolean): Feel {
  const nullable = coerceNulls ? [left, right].filter((side) => !side.literal).map((side) => `${operand(side)} = null`) : [];
  const comparison = `${operand(left)} ${op} ${operand(right)}`;
  return test(nullable.length ? `if ${nullable.join(' or ')} then false else ${comparison}` : comparison);
}

/** Recursive descent over the EL grammar, lowest precedence first; emits FEEL as it goes. */
class JuelParser {
  #tokens: readonly Token[];
  #execution: readonly string[];
  #coerceNulls: boolean;
  #index = 0;

  constructor(tokens: readonly Token[], execution: readonly string[], coerceNulls: boolean) {
    this.#tokens = tokens;
    this.#execution = execution;
    this.#coerceNulls = coerceNulls;
  }

  expression(): Feel {
    const test = this.#or();
    if (!this.#accept('?')) return test;
    const then = this.expression();
    this.#expect(':');
    const otherwise = this.expression();
    return compound(`if ${operand(test)} then ${operand(then)} else ${operand(otherwise)}`);
  }

  expectEnd(): void {
    const token = this.#peek();
    if (token.kind !== 'end') throw new JuelSyntaxError(`unexpected ${describe(token)} at position ${token.pos}`);
  }

  #or(): Feel {
    let left = this.#and();
    while (this.#accept('||', 'or')) left = test(`${operand(this.#truth(left))} or ${operand(this.#truth(this.#and()))}`);
    return left;
  }

  #and(): Feel {
    let left = this.#equality();
    while (this.#accept('&&', 'and')) left = test(`${operand(this.#truth(left))} and ${operand(this.#truth(this.#equality()))}`);
    return left;
  }

  #equality(): Feel {
    let left = this.#relational();
    for (let op = this.#accept('==', '!=', 'eq', 'ne'); op; op = this.#accept('==', '!=', 'eq', 'ne')) {
      left = test(`${operand(left)} ${COMPARISONS[op]} ${operand(this.#relational())}`);
    }
    return left;
  }

  #relational(): Feel {
    let left = this.#additive();
    const ops = ['<', '>', '<=', '>=', 'lt', 'gt', 'le', 'ge'];
    for (let op = this.#accept(...ops); op; op = this.#accept(...ops)) {
      left = ordered(left, COMPARISONS[op]!, this.#additive(), this.#coerceNulls);
    }
    return left;
  }

  #additive(): Feel {
    let left = this.#multiplicative();
    for (let op = this.#accept('+', '-'); op; op = this.#accept('+', '-')) {
      left = compound(`${operand(left)} ${op} ${operand(this.#multiplicative())}`);
    }
    return left;
  }

  #multiplicative(): Feel {
    let left = this.#unary();
    const ops = ['*', '/', 'div', '%', 'mod'];
    for (let op = this.#accept(...ops); op; op = this.#accept(...ops)) {
      const right = this.#unary();
      // FEEL's modulo() takes the sign of the divisor, Java's % that of the dividend: they differ only
      // for negative operands, which process conditions practically never use.
      left = op === '%' || op === 'mod'
        ? { text: `modulo(${left.text}, ${right.text})`, atomic: true }
        : compound(`${operand(left)} ${op === 'div' ? '/' : op} ${operand(right)}`);
    }
    return left;
  }

  #unary(): Feel {
    if (this.#accept('-')) return compound(`-${operand(this.#unary())}`);
    if (this.#accept('!', 'not')) {
      const negated = this.#unary();
      return { text: `not(${this.#truth(negated).text})`, atomic: true, boolean: true };
    }
    if (this.#accept('empty')) return emptyCheck(operand(this.#unary()));
    return this.#postfix();
  }

  #postfix(): Feel {
    const token = this.#next();
    if (token.kind === 'string') return { text: feelString(token.value), atomic: true, literal: true };
    if (token.kind === 'number') {
      const text = feelNumber(Number(token.text));
      if (text === undefined) throw new JuelSyntaxError(`the number ${token.text} is out of range`);
      return { text, atomic: true, literal: true };
    }
    // the source's parentheses are dropped: operands are parenthesised where FEEL needs it
    if (token.kind === 'symbol' && token.text === '(') {
      const inner = this.expression();
      this.#expect(')');
      return inner;
    }
    if (token.kind !== 'name') throw new JuelSyntaxError(`unexpected ${describe(token)} at position ${token.pos}`);
    if (['true', 'false'].includes(token.text)) return { text: token.text, atomic: true, boolean: true, literal: true };
    if (token.text === 'null') return { text: token.text, atomic: true };
    if (['instanceof', 'and', 'or', 'eq', 'ne', 'lt', 'gt', 'le', 'ge', 'div', 'mod'].includes(token.text)) {
      throw new JuelSyntaxError(`'${token.text}' at position ${token.pos} is not supported here`);
    }
    let path = [token.text];
    for (;;) {
      if (this.#accept('.')) {
        path.push(this.#name());
      } else if (this.#peekSymbol('(')) {
        path = [this.#methodCall(path, token.pos)];
      } else if (this.#peekSymbol('[')) {
        throw new JuelSyntaxError(`indexing with [ ] (at position ${this.#peek().pos}) is not part of the supported \${…} subset`);
      } else if (path[0] === 'execution') {
        if (path.length === 2 && this.#execution.includes(path[1]!)) return { text: path.join('.'), atomic: true };
        // Camunda's execution object is not a variable; only getVariable has a FEEL meaning
        const readable = this.#execution.map((property) => `, execution.${property}`).join('');
        throw new JuelSyntaxError(`'${path.join('.')}' reads Camunda's execution object, which is not available (only execution.getVariable("name")${readable} is translated)`);
      } else {
        return { text: path.join('.'), atomic: true };
      }
    }
  }

  /** Only `execution.getVariable("name")` is a method call worth keeping: it means the variable. */
  #methodCall(path: readonly string[], pos: number): string {
    this.#expect('(');
    const argument = this.#next();
    const closed = this.#accept(')');
    if (path.join('.') === 'execution.getVariable' && argument.kind === 'string' && closed) {
      if (!new RegExp(`${NAME.source}$`, 'u').test(argument.value)) {
        throw new JuelSyntaxError(`the variable name '${argument.value}' is not a plain name`);
      }
      return argument.value;
    }
    throw new JuelSyntaxError(
      `the method call ${path.join('.')}(…) at position ${pos} is not part of the supported \${…} subset (only execution.getVariable("name") is translated)`,
    );
  }

  #truth(feel: Feel): Feel {
    return truth(feel, this.#coerceNulls);
  }

  #name(): string {
    const token = this.#next();
    if (token.kind !== 'name') throw new JuelSyntaxError(`a property name was expected at position ${token.pos}`);
    return token.text;
  }

  #peek(): Token {
    return this.#tokens[this.#index]!;
  }

  #next(): Token {
    const token = this.#peek();
    if (token.kind !== 'end') this.#index++;
    return token;
  }

  #peekSymbol(symbol: string): boolean {
    const token = this.#peek();
    return token.kind === 'symbol' && token.text === symbol;
  }

  /** Consumes the next token when it is one of `options` (a symbol or a keyword) and returns it. */
  #accept(...options: string[]): string | undefined {
    const token = this.#peek();
    if ((token.kind === 'symbol' || token.kind === 'name') && options.includes(token.text)) {
      this.#index++;
      return token.text;
    }
    return undefined;
  }

  #expect(symbol: string): void {
    const token = this.#peek();
    if (!this.#accept(symbol)) throw new JuelSyntaxError(`'${symbol}' was expected at position ${token.pos}, found ${describe(token)}`);
  }
}

/**
 * EL's `empty x`: true for null, "", an empty list or an empty map. Each test is guarded by its type
 * because FEEL compares values of different types to null, which would poison the whole `or`.
 */
function emptyCheck(x: string): Feel {
  return {
    text: `(${x} = null or (${x} instance of string and ${x} = "") or (${x} instance of list and count(${x}) = 0) or (${x} instance of context and count(get entries(${x})) = 0))`,
    atomic: true,
    boolean: true,
  };
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'end of expression';
    case 'string':
      return 'string';
    default:
      return `'${token.text}'`;
  }
}

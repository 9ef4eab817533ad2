import type { Problem } from '../errors.js';
import { compileExpression, type PlainText } from '../expressions/compile-expression.js';
import type { Expression } from '../expressions/expression.js';
import { describe, idOf, owner, type ModdleElement } from './moddle-access.js';
import type { UnresolvedReferences } from './reader-warnings.js';

/** What the compiler carries while it reads one document: the problems found so far. */
export interface CompileContext {
  readonly problems: Problem[];
  readonly unresolved: UnresolvedReferences;
  /** whether an expression compiled so far is open-ended: evaluated in the time-limited worker */
  readonly openEnded: boolean;
  /** records a problem about `element` (or the closest ancestor with an id) */
  report(element: ModdleElement, message: string): void;
  /**
   * Compiles `source` found on `element` as its `what` (e.g. "assignee"); a problem and undefined
   * when it does not compile, undefined without a problem when there is no text. `execution`: what it
   * may read of Camunda's execution object, where the engine supplies it.
   */
  expression(element: ModdleElement, what: string, source: string | undefined, plain: PlainText, execution?: readonly string[]): Expression | undefined;
}

export function createCompileContext(problems: Problem[], unresolved: UnresolvedReferences): CompileContext {
  const report = (element: ModdleElement, message: string): void => {
    const holder = owner(element);
    problems.push({ element_id: holder === undefined ? null : (idOf(holder) ?? null), message });
  };
  let openEnded = false;
  return {
    problems,
    unresolved,
    get openEnded() {
      return openEnded;
    },
    report,
    expression(element, what, source, plain, execution) {
      if (source === undefined || source.trim() === '') return undefined;
      const compiled = compileExpression(source, plain, execution);
      if ('expression' in compiled) {
        openEnded ||= compiled.expression.openEnded === true;
        return compiled.expression;
      }
      const holder = owner(element) ?? element;
      report(element, `The ${what} of ${describe(holder)} (${quoted(source.trim())}) cannot be used: ${compiled.error}`);
      return undefined;
    },
  };
}

/** An expression as a problem quotes it: the start of a long one is enough to find it. */
function quoted(source: string): string {
  return source.length > 100 ? `'${source.slice(0, 100)}…'` : `'${source}'`;
}

// What compiling one decision needs to know about its file, and how its problems name where they are.
import type { Problem } from '../errors.js';
import { idOf, text, type ModdleElement } from '../model/moddle-access.js';
import type { Expression } from '../expressions/index.js';
import { compileDmnExpression, languageOf, type Language } from './dmn-expressions.js';

/** Camunda 7's extension namespaces for DMN (Operaton kept Camunda's and added its own) */
const CAMUNDA_NAMESPACES = new Set(['http://camunda.org/schema/1.0/dmn', 'http://operaton.org/schema/1.0/dmn']);

export interface CompileSite {
  readonly decisionId: string;
  /** the definitions' expressionLanguage, the default of every expression in the file */
  readonly fileLanguage: string | undefined;
  readonly problems: Problem[];
  /** a camunda: attribute of an element, whatever prefix the file binds the namespace to */
  camunda(element: ModdleElement, name: string): string | undefined;
}

export function createSite(definitions: ModdleElement, decisionId: string, problems: Problem[]): CompileSite {
  const declared = Object.entries(definitions.$attrs ?? {}).filter(([key, uri]) => key.startsWith('xmlns:') && CAMUNDA_NAMESPACES.has(uri));
  const prefixes = new Set(['camunda', ...declared.map(([key]) => key.slice('xmlns:'.length))]);
  return {
    decisionId,
    fileLanguage: text(definitions, 'expressionLanguage'),
    problems,
    camunda(element, name) {
      for (const prefix of prefixes) {
        const value = element.$attrs?.[`${prefix}:${name}`];
        if (value !== undefined && value.trim() !== '') return value.trim();
      }
      return undefined;
    },
  };
}

/** Adds a problem at `element` (its id) or, without one, at the decision. */
export function report(site: CompileSite, element: ModdleElement | undefined, where: string, message: string): void {
  const id = element === undefined ? undefined : idOf(element);
  site.problems.push({ element_id: id ?? site.decisionId, message: `Decision '${site.decisionId}'${where}: ${message}` });
}

/** "'Season'" for a clause with a label, else its id */
export function clauseName(clause: ModdleElement, index: number): string {
  const label = text(clause, 'label');
  const id = idOf(clause);
  if (label !== undefined) return id === undefined ? `'${label.trim()}'` : `'${label.trim()}' (${id})`;
  return id === undefined ? `${index + 1}` : `'${id}'`;
}

/** The language of an expression element (literal expression, unary tests); a problem if it is none this engine has. */
export function languageAt(site: CompileSite, element: ModdleElement, reportAt: ModdleElement, where: string, what: string): Language | undefined {
  const language = languageOf(text(element, 'expressionLanguage'), site.fileLanguage);
  if (typeof language === 'string') return language;
  report(site, reportAt, where, `${what}: ${language.error}`);
  return undefined;
}

/** A literal expression element compiled in its language; a problem and undefined if it cannot be. */
export function compileExpressionElement(site: CompileSite, element: ModdleElement, reportAt: ModdleElement, where: string, what: string): Expression | undefined {
  const language = languageAt(site, element, reportAt, where, what);
  if (language === undefined) return undefined;
  const source = text(element, 'text') ?? '';
  const compiled = compileDmnExpression(source, language);
  if ('error' in compiled) {
    report(site, reportAt, where, `${what} '${source.trim()}' cannot be used: ${compiled.error}`);
    return undefined;
  }
  return compiled.expression;
}

// bpmn-moddle parses leniently: what it cannot place it drops and reports as a warning. Warnings
// about BPMN itself (a duplicate or illegal id, an unknown BPMN element, a reference to nothing)
// become problems; those about other vocabularies (vendor extensions, attributes it does not know,
// stray text) are ignored, because files from other tools are full of them.
import { UNPARSABLE } from './xml-document.js';
import type { ParseResult } from 'bpmn-moddle';
import type { Problem } from '../errors.js';
import { BPMN_MODEL_NAMESPACE, describe, idOf, localType, owner, text, type ModdleElement } from './moddle-access.js';

type Warning = ParseResult['warnings'][number];

/** References the parser could not resolve; they are reported once, here, and skipped later. */
export interface UnresolvedReferences {
  has(element: ModdleElement, property: string): boolean;
}


export function readWarnings(
  warnings: readonly Warning[],
  definitions: ModdleElement,
  elementsById: Readonly<Record<string, ModdleElement>>,
): { problems: Problem[]; unresolved: UnresolvedReferences } {
  const problems: Problem[] = [];
  const unresolved = new WeakMap<ModdleElement, Set<string>>();
  for (const warning of warnings) {
    const message = typeof warning.message === 'string' ? warning.message : '';
    const reference = /^unresolved reference <([\s\S]*)>$/.exec(message);
    if (reference) {
      const problem = unresolvedReference(warning, reference[1]!, definitions, elementsById);
      if (problem === undefined) continue;
      problems.push(problem);
      const element = warning.element as ModdleElement;
      unresolved.set(element, (unresolved.get(element) ?? new Set()).add(localName(String(warning.property))));
      continue;
    }
    const unparsable = UNPARSABLE.exec(message);
    if (unparsable) {
      const [, content, line, column, nested] = unparsable;
      const problem = unparsableContent(content!, Number(line) + 1, Number(column) + 1, nested!.trim(), definitions);
      if (problem !== undefined) problems.push(problem);
    }
  }
  return { problems, unresolved: { has: (element, property) => unresolved.get(element)?.has(property) ?? false } };
}

/**
 * A reference `prefix:id` whose prefix names another namespace points into a document this one
 * imports (item definitions, Java types, vendor vocabularies); nothing here can or needs to resolve
 * it. With the document's own target namespace as prefix, the id is looked up here.
 */
function unresolvedReference(
  warning: Warning,
  value: string,
  definitions: ModdleElement,
  elementsById: Readonly<Record<string, ModdleElement>>,
): Problem | undefined {
  const element = warning.element as ModdleElement | undefined;
  if (element === undefined || typeof warning.property !== 'string') return undefined;
  const separator = value.indexOf(':');
  if (separator > 0) {
    const namespace = definitions.$attrs?.[`xmlns:${value.slice(0, separator)}`];
    if (namespace !== undefined && namespace !== text(definitions, 'targetNamespace')) return undefined;
    const id = value.slice(separator + 1);
    if (Object.hasOwn(elementsById, id) && resolve(element, warning.property, elementsById[id]!)) return undefined;
  }
  const holder = owner(element);
  const subject = holder === element || holder === undefined ? describe(element) : `the ${localType(element)} of ${describe(holder)}`;
  return {
    element_id: holder === undefined ? null : (idOf(holder) ?? null),
    message: `${subject} refers to '${value}' (${localName(warning.property)}), which does not exist`,
  };
}

function resolve(element: ModdleElement, property: string, target: ModdleElement): boolean {
  if (typeof element.get !== 'function' || typeof element.set !== 'function') return false;
  const current: unknown = element.get(property);
  if (Array.isArray(current)) current.push(target);
  else element.set(property, target);
  return true;
}

function unparsableContent(content: string, line: number, column: number, nested: string, definitions: ModdleElement): Problem | undefined {
  const where = `line ${line}, column ${column}`;
  const duplicate = /^duplicate ID <([\s\S]*)>$/.exec(nested);
  if (duplicate) return { element_id: duplicate[1]!, message: `The id '${duplicate[1]}' is used by more than one element (again at ${where})` };
  const illegal = /^illegal ID <([\s\S]*)>$/.exec(nested);
  if (illegal) {
    return {
      element_id: illegal[1]!,
      message: `'${illegal[1]}' (${where}) is not a valid id: ids start with a letter or '_' followed by letters, digits, '-', '_' or '.'`,
    };
  }
  if (/^unexpected body text/.test(nested)) return undefined;
  const unknown = /^(?:unknown type|unrecognized element) <(?:([^:>]*):)?([^>]*)>$/.exec(nested);
  if (unknown) {
    const [, prefix, name] = unknown;
    // "unknown type" names the type with moddle's own prefix, "unrecognized element" with the file's
    const namespace = prefix === 'bpmn' ? BPMN_MODEL_NAMESPACE : definitions.$attrs?.[prefix === undefined ? 'xmlns' : `xmlns:${prefix}`];
    if (namespace !== BPMN_MODEL_NAMESPACE) return undefined;
    return { element_id: null, message: `The element ${content} at ${where} is not BPMN 2.0 or not allowed there (${name}); it was not read` };
  }
  return { element_id: null, message: `The element ${content} at ${where} could not be read: ${nested}` };
}

/** 'bpmn:sourceRef' → 'sourceRef' */
function localName(property: string): string {
  return property.slice(property.indexOf(':') + 1);
}

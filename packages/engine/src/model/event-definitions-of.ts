import type { CompileContext } from './compile-context.js';
import { children, describe, isA, type ModdleElement } from './moddle-access.js';

/**
 * The event definitions of an element: those written inside it, then those it references by
 * eventDefinitionRef (declared at the top level of the file, where several events may share one). Both
 * forms mean the same, so everything after this sees one list. Undefined when a reference points to
 * nothing (the reader reported it) or to something that is not an event definition (reported here): what
 * kind of event the element is cannot be known then.
 */
export function eventDefinitionsOf(element: ModdleElement, ctx: CompileContext): ModdleElement[] | undefined {
  const referenced = children(element, 'eventDefinitionRef');
  const foreign = referenced.filter((target) => !isA(target, 'bpmn:EventDefinition'));
  for (const target of foreign) {
    ctx.report(element, `The eventDefinitionRef of ${describe(element)} points to ${describe(target)}, which is not an event definition`);
  }
  if (foreign.length > 0 || ctx.unresolved.has(element, 'eventDefinitionRef')) return undefined;
  return [...children(element, 'eventDefinitions'), ...referenced];
}

// Defensive reading of bpmn-moddle elements. The parser is lax, so any property may be missing or of
// an unexpected shape in a file from some other tool; these helpers never throw on such input.
import type { ModdleElement } from 'bpmn-moddle';

export type { ModdleElement };

export const BPMN_MODEL_NAMESPACE = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

export function isElement(value: unknown): value is ModdleElement {
  return typeof value === 'object' && value !== null && typeof (value as { $type?: unknown }).$type === 'string';
}

/** 'bpmn:UserTask' → 'userTask', the name the API and the model use for element kinds. */
export function localType(element: ModdleElement): string {
  const name = element.$type.slice(element.$type.indexOf(':') + 1);
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function isA(element: ModdleElement, type: string): boolean {
  return typeof element.$instanceOf === 'function' && element.$instanceOf(type) === true;
}

export function property(element: ModdleElement, name: string): unknown {
  return typeof element.get === 'function' ? element.get(name) : element[name];
}

/** A text attribute or body; blank text counts as absent. */
export function text(element: ModdleElement, name: string): string | undefined {
  const value = property(element, name);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function flag(element: ModdleElement, name: string): boolean | undefined {
  const value = property(element, name);
  return typeof value === 'boolean' ? value : undefined;
}

export function child(element: ModdleElement, name: string): ModdleElement | undefined {
  const value = property(element, name);
  return isElement(value) ? value : undefined;
}

export function children(element: ModdleElement, name: string): ModdleElement[] {
  const value = property(element, name);
  return Array.isArray(value) ? value.filter(isElement) : [];
}

export function idOf(element: ModdleElement): string | undefined {
  return typeof element.id === 'string' && element.id !== '' ? element.id : undefined;
}

export function extensions(element: ModdleElement, type: string): ModdleElement[] {
  const container = child(element, 'extensionElements');
  return container === undefined ? [] : children(container, 'values').filter((value) => value.$type === type);
}

export function extension(element: ModdleElement, type: string): ModdleElement | undefined {
  return extensions(element, type)[0];
}

export function documentation(element: ModdleElement): string | undefined {
  const texts = children(element, 'documentation').flatMap((doc) => text(doc, 'text') ?? []);
  return texts.length > 0 ? texts.join('\n') : undefined;
}

/** The element itself or its closest ancestor with an id: what a problem can point at. */
export function owner(element: ModdleElement): ModdleElement | undefined {
  for (let current: ModdleElement | undefined = element; current !== undefined; current = current.$parent) {
    if (idOf(current) !== undefined) return current;
  }
  return undefined;
}

/** "userTask 'Review'": how problems name an element. */
export function describe(element: ModdleElement): string {
  const id = idOf(element);
  return id === undefined ? `a ${localType(element)} without id` : `${localType(element)} '${id}'`;
}

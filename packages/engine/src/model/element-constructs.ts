// Names what an element asks of the interpreter, as construct keys of supported-elements.ts: its kind
// with its event definition or implementation, plus aspects such as loops and listeners.
import { camundaAsync, camundaListeners } from './extensions/camunda.js';
import { SERVICE_LIKE_TASKS, type Implementation } from './extensions/implementation.js';
import { zeebeListeners } from './extensions/zeebe.js';
import { child, flag, localType, type ModdleElement } from './moddle-access.js';
import type { Construct } from './supported-elements.js';

export interface ElementFacts {
  readonly element: ModdleElement;
  /** the element's local type: 'userTask', 'complexGateway' … */
  readonly type: string;
  /** its event definitions, inline and referenced; undefined when a reference is broken (already reported) */
  readonly eventDefinitions: readonly ModdleElement[] | undefined;
  /** for service-like tasks, script tasks and message throw events; undefined = none declared */
  readonly implementation?: Implementation;
  /** for script tasks: the language of their script ('feel' for zeebe:script) */
  readonly scriptFormat?: string;
}

const EVENTS = new Set(['startEvent', 'endEvent', 'intermediateCatchEvent', 'intermediateThrowEvent', 'boundaryEvent']);
const EXTERNAL_HINT =
  'service, send and business rule tasks and message throw events run as external tasks: camunda:type="external" with camunda:topic, or zeebe:taskDefinition; ' +
  'service, send and business rule tasks can also call an HTTP service: camunda:connector with connectorId http-connector, or zeebe:taskDefinition type="io.camunda:http-json:1"; ' +
  'business rule tasks can evaluate a deployed DMN decision: camunda:decisionRef, or zeebe:calledDecision';

export function constructsOf(facts: ElementFacts): Construct[] {
  const main = mainConstruct(facts);
  return [...(main === undefined ? [] : [main]), ...aspects(facts.element, facts.type)];
}

function mainConstruct({ type, eventDefinitions, implementation, scriptFormat }: ElementFacts): Construct | undefined {
  if (EVENTS.has(type)) {
    if (eventDefinitions === undefined) return undefined;
    const kinds = eventDefinitions.map((definition) => localType(definition).replace(/EventDefinition$/, ''));
    const kind = kinds.length === 0 ? 'none' : kinds.length === 1 ? kinds[0]! : 'multiple';
    if (kind === 'message' && (type === 'endEvent' || type === 'intermediateThrowEvent')) {
      return implemented(`${type}:message`, `a message ${type}`, implementation, EXTERNAL_HINT);
    }
    const subject = withArticle(kind === 'multiple' ? `${type} with several event definitions` : `${kind === 'none' ? 'plain' : kind} ${type}`);
    return { key: `${type}:${kind}`, description: subject };
  }
  if (SERVICE_LIKE_TASKS.has(type)) return implemented(type, withArticle(type), implementation, EXTERNAL_HINT);
  if (type === 'scriptTask') {
    if (implementation !== undefined) return implemented(type, 'a scriptTask', implementation, EXTERNAL_HINT);
    return {
      key: `scriptTask:${scriptFormat?.toLowerCase() ?? 'none'}`,
      description: scriptFormat === undefined ? 'a scriptTask without scriptFormat' : `a script in '${scriptFormat}'`,
      hint: 'script tasks run FEEL only: scriptFormat="feel", or zeebe:script',
    };
  }
  return { key: type, description: withArticle(type) };
}

function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

function implemented(prefix: string, subject: string, implementation: Implementation | undefined, hint: string): Construct | undefined {
  if (implementation === undefined) return { key: `${prefix}:none`, description: `${subject} without implementation`, hint };
  switch (implementation.kind) {
    case 'external':
      return { key: `${prefix}:external`, description: `${subject} worked as an external task` };
    case 'connector':
      return { key: `${prefix}:http-connector`, description: `${subject} calling an HTTP service` };
    case 'decision':
      return { key: `${prefix}:decision`, description: `${subject} evaluating a DMN decision` };
    case 'other':
      return { key: `${prefix}:${implementation.key}`, description: implementation.description, hint: implementation.hint ?? hint };
    case 'invalid':
      return undefined;
  }
}

function aspects(element: ModdleElement, type: string): Construct[] {
  const found: Construct[] = [];
  const loop = child(element, 'loopCharacteristics');
  if (loop !== undefined) {
    found.push(localType(loop) === 'multiInstanceLoopCharacteristics'
      ? { key: 'multiInstance', description: 'a multi-instance loop' }
      : { key: 'standardLoop', description: 'a standard loop (standardLoopCharacteristics)' });
  }
  if (type === 'subProcess' && flag(element, 'triggeredByEvent') === true) {
    found.push({ key: 'eventSubProcess', description: 'an event sub-process (triggeredByEvent)' });
  }
  if (flag(element, 'isForCompensation') === true) {
    found.push({ key: 'compensationHandler', description: 'a compensation handler (isForCompensation)' });
  }
  for (const listener of [...camundaListeners(element), ...zeebeListeners(element)]) {
    found.push({ key: 'listener', description: listener });
  }
  const { asyncBefore, asyncAfter } = camundaAsync(element);
  if (asyncBefore) found.push({ key: 'asyncBefore', description: 'an asynchronous continuation before it' });
  if (asyncAfter) found.push({ key: 'asyncAfter', description: 'an asynchronous continuation after it' });
  return found;
}

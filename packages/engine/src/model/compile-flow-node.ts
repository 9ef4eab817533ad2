import type { CompileContext } from './compile-context.js';
import { constructsOf } from './element-constructs.js';
import { compileEventDefinition, formalExpression } from './event-definition.js';
import { eventDefinitionsOf } from './event-definitions-of.js';
import { camundaAsync, camundaCalledElement, camundaImplementation, camundaInputOutput, camundaMultiInstance, camundaRetries, camundaScript, camundaUserTask } from './extensions/camunda.js';
import { SERVICE_LIKE_TASKS, type Implementation } from './extensions/implementation.js';
import { zeebeCalledElement, zeebeImplementation, zeebeIoMapping, zeebeMultiInstance, zeebeScript, zeebeUserTask } from './extensions/zeebe.js';
import { child, describe, documentation, extension, flag, idOf, localType, property, text, type ModdleElement } from './moddle-access.js';
import { CALLING_EXECUTION, type CalledElementSpec, type ElementKind, type FlowNode, type MultiInstanceSpec, type StandardLoopSpec, type UserTaskSpec } from './process-model.js';
import { MAX_INSTANCES } from './limits.js';
import type { Construct } from './supported-elements.js';
import { withoutUndefined } from '../util/without-undefined.js';

/** A flow node before the graph is known: compile-process.ts adds flows, boundary events and scope starts. */
export type FlowNodeBody = Omit<FlowNode, 'incoming' | 'outgoing' | 'boundaryEvents' | 'noneStartEvent'>;

const ELEMENT_KINDS: Readonly<Record<ElementKind, true>> = {
  startEvent: true, endEvent: true, intermediateCatchEvent: true, intermediateThrowEvent: true, boundaryEvent: true,
  exclusiveGateway: true, parallelGateway: true, inclusiveGateway: true, eventBasedGateway: true,
  task: true, userTask: true, manualTask: true, scriptTask: true, serviceTask: true, sendTask: true, businessRuleTask: true, receiveTask: true,
  subProcess: true, transaction: true, callActivity: true,
};

export function isElementKind(type: string): type is ElementKind {
  return Object.hasOwn(ELEMENT_KINDS, type);
}

/**
 * Compiles one flow node that has an id. Elements of a type the model has no kind for (complex
 * gateway, ad-hoc sub-process, choreography) yield constructs only, which refuse them.
 */
export function compileFlowNode(element: ModdleElement, id: string, scopeId: string, ctx: CompileContext): { node?: FlowNodeBody; constructs: Construct[] } {
  const type = localType(element);
  const eventDefinitions = eventDefinitionsOf(element, ctx);
  const implementation = implementationOf(element, type, eventDefinitions, ctx);
  const script = type === 'scriptTask' && implementation === undefined ? zeebeScript(element, ctx) ?? camundaScript(element, ctx) : undefined;
  const constructs = constructsOf({ element, type, eventDefinitions, implementation, scriptFormat: script?.format ?? text(element, 'scriptFormat') });
  if (!isElementKind(type)) return { constructs };
  // the implementation's mappings come first, so that the element's own output parameters have the last word, as in Camunda 7
  const zeebeIo = zeebeIoMapping(element, ctx);
  const ios = [implementation?.kind === 'external' ? implementation.io : undefined, camundaInputOutput(element, ctx), zeebeIo];
  const defaultFlow = child(element, 'default');
  const node: FlowNodeBody = withoutUndefined({
    id,
    name: text(element, 'name') ?? '',
    kind: type,
    scopeId,
    defaultFlow: defaultFlow === undefined ? undefined : idOf(defaultFlow),
    eventDefinition: compileEventDefinition(element, eventDefinitions, ctx),
    attachedTo: type === 'boundaryEvent' ? attachedTo(element, ctx) : undefined,
    cancelActivity: type === 'boundaryEvent' && flag(element, 'cancelActivity') !== false,
    ...camundaAsync(element),
    jobRetries: implementation?.kind === 'external' || implementation?.kind === 'connector' ? undefined : jobRetries(element, ctx),
    inputs: ios.flatMap((io) => io?.inputs ?? []),
    outputs: ios.flatMap((io) => io?.outputs ?? []),
    documentation: documentation(element),
    userTask: type === 'userTask' ? userTaskSpec(element, ctx) : undefined,
    externalTask: implementation?.kind === 'external' ? implementation.spec : undefined,
    httpConnector: implementation?.kind === 'connector' ? implementation.spec : undefined,
    script,
    decision: implementation?.kind === 'decision' ? implementation.spec : undefined,
    calledElement: type === 'callActivity' ? calledElementSpec(element, ctx, (zeebeIo?.outputs.length ?? 0) > 0) : undefined,
    multiInstance: multiInstanceSpec(element, ctx),
    standardLoop: standardLoopSpec(element, ctx),
    triggeredByEvent: type === 'subProcess' && flag(element, 'triggeredByEvent') === true,
    isInterrupting: flag(element, 'isInterrupting') !== false,
    isForCompensation: flag(element, 'isForCompensation') === true,
  });
  return { node, constructs };
}

function jobRetries(element: ModdleElement, ctx: CompileContext): FlowNode['jobRetries'] {
  const { retries, retryTimeCycle } = camundaRetries(element, ctx);
  return retries === undefined || retryTimeCycle === undefined ? undefined : { retries, retryTimeCycle };
}

/** Camunda 7 puts a message throw event's implementation on its messageEventDefinition, Zeebe on the event. */
function implementationOf(
  element: ModdleElement, type: string, eventDefinitions: readonly ModdleElement[] | undefined, ctx: CompileContext,
): Implementation | undefined {
  if (SERVICE_LIKE_TASKS.has(type)) return zeebeImplementation(element, ctx) ?? camundaImplementation(element, element, ctx);
  if (type === 'scriptTask') return zeebeImplementation(element, ctx);
  if (type !== 'endEvent' && type !== 'intermediateThrowEvent') return undefined;
  const [definition] = eventDefinitions ?? [];
  if (definition === undefined || localType(definition) !== 'messageEventDefinition') return undefined;
  return zeebeImplementation(element, ctx) ?? camundaImplementation(definition, element, ctx);
}

function attachedTo(boundary: ModdleElement, ctx: CompileContext): string | undefined {
  const activity = child(boundary, 'attachedToRef');
  if (activity !== undefined) return idOf(activity);
  if (!ctx.unresolved.has(boundary, 'attachedToRef')) ctx.report(boundary, `${describe(boundary)} is not attached to an activity (attachedToRef is missing)`);
  return undefined;
}

function userTaskSpec(task: ModdleElement, ctx: CompileContext): UserTaskSpec {
  return { candidateUsers: [], candidateGroups: [], formFields: [], ...camundaUserTask(task, ctx), ...zeebeUserTask(task, ctx) };
}

function calledElementSpec(activity: ModdleElement, ctx: CompileContext, zeebeOutputs: boolean): CalledElementSpec | undefined {
  const camunda = camundaCalledElement(activity, ctx);
  const zeebe = zeebeCalledElement(activity, ctx, zeebeOutputs);
  const processKey = zeebe === undefined ? ctx.expression(activity, 'called element', text(activity, 'calledElement'), 'literal', CALLING_EXECUTION) : zeebe.processKey;
  if (processKey === undefined) {
    const declared = zeebe === undefined ? text(activity, 'calledElement') : text(extension(activity, 'zeebe:CalledElement')!, 'processId');
    if (declared === undefined) ctx.report(activity, `${describe(activity)} does not name the process it calls`);
    return undefined;
  }
  return { binding: 'latest', inputs: [], outputs: [], inputAll: 'none', outputAll: 'none', outputsOnThrow: false, ...camunda, ...zeebe, processKey };
}

function multiInstanceSpec(activity: ModdleElement, ctx: CompileContext): MultiInstanceSpec | undefined {
  const loop = child(activity, 'loopCharacteristics');
  if (loop === undefined || localType(loop) !== 'multiInstanceLoopCharacteristics') return undefined;
  const spec: MultiInstanceSpec = withoutUndefined({
    sequential: flag(loop, 'isSequential') === true,
    loopCardinality: formalExpression(loop, 'loopCardinality', 'loop cardinality', activity, ctx),
    completionCondition: formalExpression(loop, 'completionCondition', 'completion condition', activity, ctx),
    ...camundaMultiInstance(loop, ctx),
    ...zeebeMultiInstance(loop, ctx),
  });
  const zeebe = extension(loop, 'zeebe:LoopCharacteristics');
  const declared = child(loop, 'loopCardinality') !== undefined || text(loop, 'camunda:collection') !== undefined
    || (zeebe !== undefined && text(zeebe, 'inputCollection') !== undefined);
  if (!declared) ctx.report(activity, `The multi-instance loop of ${describe(activity)} has neither a loopCardinality nor a collection`);
  const cardinality = Number(spec.loopCardinality?.source.trim());
  if (Number.isInteger(cardinality) && cardinality > MAX_INSTANCES) {
    ctx.report(activity, `The loop cardinality of ${describe(activity)} is ${cardinality}; a multi-instance activity runs ${MAX_INSTANCES} instances at most`);
  }
  return spec;
}

function standardLoopSpec(activity: ModdleElement, ctx: CompileContext): StandardLoopSpec | undefined {
  const loop = child(activity, 'loopCharacteristics');
  if (loop === undefined || localType(loop) !== 'standardLoopCharacteristics') return undefined;
  const condition = formalExpression(loop, 'loopCondition', 'loop condition', activity, ctx);
  const maximumValue = property(loop, 'loopMaximum');
  const maximum = maximumValue === undefined ? undefined : Number(maximumValue);
  if (maximum !== undefined && !(Number.isInteger(maximum) && maximum >= 0)) {
    ctx.report(activity, `The loopMaximum of ${describe(activity)} ('${String(maximumValue)}') is not a whole number`);
  }
  if (child(loop, 'loopCondition') === undefined && maximum === undefined) {
    ctx.report(activity, `The standard loop of ${describe(activity)} has neither a loopCondition nor a loopMaximum: it would never end`);
  }
  return withoutUndefined({ condition, testBefore: flag(loop, 'testBefore') === true, maximum });
}

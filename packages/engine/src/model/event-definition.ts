import type { Expression } from '../expressions/expression.js';
import type { CompileContext } from './compile-context.js';
import { child, describe, flag, idOf, isA, localType, text, type ModdleElement } from './moddle-access.js';
import type { EventDefinition, VariableEventKind } from './process-model.js';
import { splitCommaList } from './extensions/comma-list.js';
import { camundaSignalPayload } from './extensions/camunda.js';
import { withoutUndefined } from '../util/without-undefined.js';

const NONE: EventDefinition = { kind: 'none' };

/**
 * The event definition of an event (from `definitions`, see event-definitions-of.ts), or the message of a
 * receive task. An event with several definitions keeps the first; element-constructs.ts refuses it anyway.
 */
export function compileEventDefinition(element: ModdleElement, definitions: readonly ModdleElement[] | undefined, ctx: CompileContext): EventDefinition {
  if (localType(element) === 'receiveTask') return receiveTaskMessage(element, ctx);
  const [definition] = definitions ?? [];
  if (definition === undefined) return NONE;
  switch (localType(definition)) {
    case 'messageEventDefinition':
      return message(definition, element, ctx);
    case 'signalEventDefinition':
      return signal(definition, element, ctx);
    case 'errorEventDefinition': {
      const error = referenced(definition, 'errorRef', 'bpmn:Error', element, ctx);
      return withoutUndefined({
        kind: 'error',
        errorCode: error === undefined ? undefined : text(error, 'errorCode'),
        errorMessage: error === undefined ? undefined : ctx.expression(error, 'error message', text(error, 'camunda:errorMessage'), 'literal'),
        codeVariable: text(definition, 'camunda:errorCodeVariable'),
        messageVariable: text(definition, 'camunda:errorMessageVariable'),
      });
    }
    case 'escalationEventDefinition': {
      const escalation = referenced(definition, 'escalationRef', 'bpmn:Escalation', element, ctx);
      return withoutUndefined({
        kind: 'escalation',
        escalationCode: escalation === undefined ? undefined : text(escalation, 'escalationCode'),
        codeVariable: text(definition, 'camunda:escalationCodeVariable'),
      });
    }
    case 'terminateEventDefinition':
      return { kind: 'terminate' };
    case 'cancelEventDefinition':
      return { kind: 'cancel' };
    case 'timerEventDefinition':
      return timer(definition, element, ctx);
    case 'conditionalEventDefinition': {
      const condition = formalExpression(definition, 'condition', 'condition', element, ctx);
      if (condition !== undefined) return conditional(definition, condition, element, ctx);
      if (child(definition, 'condition') === undefined) ctx.report(element, `${describe(element)} has a conditional event definition without condition`);
      return NONE;
    }
    case 'compensateEventDefinition': {
      const activity = child(definition, 'activityRef');
      const activityRef = activity === undefined ? undefined : idOf(activity);
      return withoutUndefined({ kind: 'compensate', activityRef, waitForCompletion: flag(definition, 'waitForCompletion') !== false });
    }
    case 'linkEventDefinition':
      return { kind: 'link', linkName: text(definition, 'name') ?? '' };
    default:
      // other definitions have no model form; element-constructs.ts refuses them
      return NONE;
  }
}

const VARIABLE_EVENTS: readonly VariableEventKind[] = ['create', 'update', 'delete'];

function conditional(definition: ModdleElement, condition: Expression, event: ModdleElement, ctx: CompileContext): EventDefinition {
  const names = text(definition, 'camunda:variableName');
  const events = text(definition, 'camunda:variableEvents');
  const variableEvents = events === undefined ? undefined : splitCommaList(events);
  for (const kind of variableEvents ?? []) {
    if (!VARIABLE_EVENTS.includes(kind as VariableEventKind)) {
      ctx.report(event, `${describe(event)} has camunda:variableEvents '${kind}'; the kinds are ${VARIABLE_EVENTS.join(', ')}`);
    }
  }
  return withoutUndefined({
    kind: 'conditional', condition,
    variableNames: names === undefined ? undefined : splitCommaList(names),
    variableEvents: variableEvents as VariableEventKind[] | undefined,
  });
}

function receiveTaskMessage(task: ModdleElement, ctx: CompileContext): EventDefinition {
  const messageName = messageNameOf(task, task, ctx);
  if (messageName !== undefined) return { kind: 'message', messageName };
  if (child(task, 'messageRef') === undefined && !ctx.unresolved.has(task, 'messageRef')) {
    ctx.report(task, `${describe(task)} waits for a message but names none (messageRef is missing)`);
  }
  return NONE;
}

/**
 * A catching message event needs its message's name for correlation. A throwing one hands the message
 * to its worker, so its messageRef is optional; without one the name is empty.
 */
function message(definition: ModdleElement, event: ModdleElement, ctx: CompileContext): EventDefinition {
  const messageName = messageNameOf(definition, event, ctx);
  if (messageName !== undefined) return { kind: 'message', messageName };
  const throws = ['endEvent', 'intermediateThrowEvent'].includes(localType(event));
  if (!throws && child(definition, 'messageRef') === undefined && !ctx.unresolved.has(definition, 'messageRef')) {
    ctx.report(event, `${describe(event)} waits for a message but names none (messageRef is missing)`);
  }
  return { kind: 'message', messageName: { source: '', literal: '' } };
}

function messageNameOf(holder: ModdleElement, event: ModdleElement, ctx: CompileContext): Expression | undefined {
  const messageElement = referenced(holder, 'messageRef', 'bpmn:Message', event, ctx);
  if (messageElement === undefined) return undefined;
  const name = text(messageElement, 'name');
  if (name === undefined) {
    ctx.report(event, `The message ${describe(messageElement)} used by ${describe(event)} has no name`);
    return undefined;
  }
  return ctx.expression(messageElement, 'message name', name, 'literal');
}

function signal(definition: ModdleElement, event: ModdleElement, ctx: CompileContext): EventDefinition {
  const signalElement = referenced(definition, 'signalRef', 'bpmn:Signal', event, ctx);
  if (signalElement === undefined) {
    if (!ctx.unresolved.has(definition, 'signalRef')) ctx.report(event, `${describe(event)} has a signal event definition without signalRef`);
    return NONE;
  }
  const name = text(signalElement, 'name');
  if (name === undefined || name.trim() === '') {
    ctx.report(event, `The signal ${describe(signalElement)} used by ${describe(event)} has no name`);
    return NONE;
  }
  // like a message's, a signal's name may hold expressions (`alert-${region}`), evaluated where it is used
  const signalName = ctx.expression(signalElement, 'signal name', name, 'literal');
  return signalName === undefined ? NONE : withoutUndefined({ kind: 'signal', signalName, payload: camundaSignalPayload(definition, event, ctx) });
}

function timer(definition: ModdleElement, event: ModdleElement, ctx: CompileContext): EventDefinition {
  const timeDate = formalExpression(definition, 'timeDate', 'timer date', event, ctx, 'literal');
  const timeDuration = formalExpression(definition, 'timeDuration', 'timer duration', event, ctx, 'literal');
  const timeCycle = formalExpression(definition, 'timeCycle', 'timer cycle', event, ctx, 'literal');
  if (['timeDate', 'timeDuration', 'timeCycle'].every((name) => child(definition, name) === undefined)) {
    ctx.report(event, `${describe(event)} has a timer without timeDate, timeDuration or timeCycle`);
  }
  return withoutUndefined({ kind: 'timer', timeDate, timeDuration, timeCycle });
}

/** The body of a bpmn:Expression child such as a timer's timeDuration or an event's condition. */
export function formalExpression(
  holder: ModdleElement,
  name: string,
  what: string,
  element: ModdleElement,
  ctx: CompileContext,
  plain: 'literal' | 'feel' = 'feel',
): Expression | undefined {
  const expression = child(holder, name);
  if (expression === undefined) return undefined;
  const language = text(expression, 'language');
  if (language !== undefined && !/feel|juel/i.test(language)) {
    ctx.report(element, `The ${what} of ${describe(element)} is written in '${language}'; only FEEL and JUEL (\${…}) expressions are run`);
    return undefined;
  }
  const resource = text(expression, 'camunda:resource');
  if (resource !== undefined) {
    ctx.report(element, `The ${what} of ${describe(element)} is loaded from camunda:resource="${resource}"; write the expression inline`);
    return undefined;
  }
  const body = text(expression, 'body');
  if (body === undefined) {
    ctx.report(element, `The ${what} of ${describe(element)} is empty`);
    return undefined;
  }
  return ctx.expression(element, what, body, plain);
}

/** A resolved reference of the expected type; a reference to an element of another type is a problem. */
function referenced(holder: ModdleElement, property: string, type: string, element: ModdleElement, ctx: CompileContext): ModdleElement | undefined {
  const target = child(holder, property);
  if (target === undefined) return undefined;
  if (isA(target, type)) return target;
  ctx.report(element, `The ${property} of ${describe(element)} points to ${describe(target)}, which is not a ${type.replace('bpmn:', '')}`);
  return undefined;
}

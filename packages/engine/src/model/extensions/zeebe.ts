// Camunda 8 extensions (namespace http://camunda.org/schema/zeebe/1.0). Their expressions start with
// `=` (FEEL); text without it is a static value.
import type { Expression } from '../../expressions/expression.js';
import type { CompileContext } from '../compile-context.js';
import { children, describe, extension, extensions, flag, text, type ModdleElement } from '../moddle-access.js';
import type { CalledElementSpec, IoMapping, MultiInstanceSpec, ScriptSpec, UserTaskSpec } from '../process-model.js';
import { withoutUndefined } from '../without-undefined.js';
import { splitCommaList } from './comma-list.js';
import type { Implementation } from './implementation.js';

export function zeebeUserTask(task: ModdleElement, ctx: CompileContext): Partial<UserTaskSpec> {
  const assignment = extension(task, 'zeebe:AssignmentDefinition');
  const schedule = extension(task, 'zeebe:TaskSchedule');
  const priority = extension(task, 'zeebe:PriorityDefinition');
  const from = (holder: ModdleElement | undefined, name: string, what: string) =>
    holder === undefined ? undefined : ctx.expression(holder, what, text(holder, name), 'literal');
  const candidates = (name: string, what: string): Expression[] | undefined => {
    const value = assignment === undefined ? undefined : text(assignment, name);
    if (assignment === undefined || value === undefined) return undefined;
    return splitCommaList(value).flatMap((entry) => ctx.expression(assignment, what, entry, 'literal') ?? []);
  };
  return withoutUndefined({
    assignee: from(assignment, 'assignee', 'assignee'),
    candidateUsers: candidates('candidateUsers', 'candidate users'),
    candidateGroups: candidates('candidateGroups', 'candidate groups'),
    dueDate: from(schedule, 'dueDate', 'due date'),
    followUpDate: from(schedule, 'followUpDate', 'follow-up date'),
    priority: from(priority, 'priority', 'priority'),
    formKey: zeebeFormKey(task),
  });
}

/** A linked form (formId), a custom form key, or an external form reference. */
export function zeebeFormKey(element: ModdleElement): string | undefined {
  const form = extension(element, 'zeebe:FormDefinition');
  if (form === undefined) return undefined;
  return text(form, 'formKey') ?? text(form, 'formId') ?? text(form, 'externalReference');
}

/** zeebe:taskDefinition makes any service-like element a job for workers of its type. */
export function zeebeImplementation(element: ModdleElement, ctx: CompileContext): Implementation | undefined {
  const definition = extension(element, 'zeebe:TaskDefinition');
  if (definition !== undefined) {
    const type = text(definition, 'type');
    if (type === undefined) return { kind: 'other', key: 'zeebe:taskDefinition without type', description: 'a zeebe:taskDefinition without a type' };
    const topic = ctx.expression(definition, 'job type', type, 'literal');
    const retriesText = text(definition, 'retries')?.trim();
    const retries = retriesText === undefined || !/^\d+$/.test(retriesText) ? undefined : Number(retriesText);
    if (retriesText !== undefined && retries === undefined) {
      ctx.report(element, `The zeebe:taskDefinition retries of ${describe(element)} ('${retriesText}') must be a whole number`);
    }
    if (topic === undefined || (retriesText !== undefined && retries === undefined)) return { kind: 'invalid' };
    return { kind: 'external', spec: retries === undefined ? { topic } : { topic, retries } };
  }
  const decision = extension(element, 'zeebe:CalledDecision');
  if (decision !== undefined) {
    return { kind: 'other', key: 'zeebe:calledDecision', description: `zeebe:calledDecision decisionId="${text(decision, 'decisionId') ?? ''}"` };
  }
  return undefined;
}

export function zeebeScript(task: ModdleElement, ctx: CompileContext): ScriptSpec | undefined {
  const script = extension(task, 'zeebe:Script');
  if (script === undefined) return undefined;
  const expression = ctx.expression(script, 'script', text(script, 'expression'), 'feel');
  if (expression === undefined) {
    if (text(script, 'expression') === undefined) ctx.report(task, `The zeebe:script of ${describe(task)} has no expression`);
    return undefined;
  }
  const resultVariable = text(script, 'resultVariable');
  return resultVariable === undefined ? { format: 'feel', script: expression } : { format: 'feel', script: expression, resultVariable };
}

export function zeebeIoMapping(element: ModdleElement, ctx: CompileContext): { inputs: IoMapping[]; outputs: IoMapping[] } | undefined {
  const io = extension(element, 'zeebe:IoMapping');
  if (io === undefined) return undefined;
  const read = (mapping: ModdleElement, what: string): IoMapping[] => {
    const target = text(mapping, 'target');
    const sourceText = text(mapping, 'source');
    if (target === undefined || sourceText === undefined) {
      ctx.report(element, `An ${what} of ${describe(element)} needs both a source and a target`);
      return [];
    }
    const source = ctx.expression(mapping, `${what} '${target}'`, sourceText, 'literal');
    return source === undefined ? [] : [{ source, target }];
  };
  return {
    inputs: children(io, 'inputParameters').flatMap((mapping) => read(mapping, 'input mapping')),
    outputs: children(io, 'outputParameters').flatMap((mapping) => read(mapping, 'output mapping')),
  };
}

/** zeebe:loopCharacteristics, an extension of the bpmn:multiInstanceLoopCharacteristics element. */
export function zeebeMultiInstance(characteristics: ModdleElement, ctx: CompileContext): Partial<MultiInstanceSpec> {
  const loop = extension(characteristics, 'zeebe:LoopCharacteristics');
  if (loop === undefined) return {};
  return withoutUndefined({
    collection: ctx.expression(loop, 'multi-instance input collection', text(loop, 'inputCollection'), 'feel'),
    elementVariable: text(loop, 'inputElement'),
    outputCollection: text(loop, 'outputCollection'),
    outputElement: ctx.expression(loop, 'multi-instance output element', text(loop, 'outputElement'), 'feel'),
  });
}

/**
 * zeebe:calledElement. Variables travel through the call activity's own zeebe:ioMapping (the element's
 * inputs and outputs); the propagate flags say whether everything else travels too.
 */
export function zeebeCalledElement(activity: ModdleElement, ctx: CompileContext): Partial<CalledElementSpec> | undefined {
  const called = extension(activity, 'zeebe:CalledElement');
  if (called === undefined) return undefined;
  return withoutUndefined({
    processKey: ctx.expression(called, 'called process id', text(called, 'processId'), 'literal'),
    inputAll: flag(called, 'propagateAllParentVariables') !== false,
    outputAll: flag(called, 'propagateAllChildVariables') !== false,
  });
}

export function zeebeListeners(element: ModdleElement): string[] {
  return ['zeebe:ExecutionListeners', 'zeebe:TaskListeners'].flatMap((type) =>
    extensions(element, type).flatMap((holder) =>
      children(holder, 'listeners').map(
        (listener) => `a ${type === 'zeebe:TaskListeners' ? 'zeebe:taskListener' : 'zeebe:executionListener'} on '${text(listener, 'eventType') ?? '?'}' (type="${text(listener, 'type') ?? ''}")`,
      ),
    ),
  );
}

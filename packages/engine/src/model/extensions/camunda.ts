// Camunda 7 extensions (namespace http://camunda.org/schema/1.0/bpmn), as Camunda Modeler writes them.
import type { HttpConnectorSpec } from '../../connectors/http-connector-spec.js';
import type { Expression } from '../../expressions/expression.js';
import { feelString } from '../../expressions/feel-text.js';
import type { CompileContext } from '../compile-context.js';
import { child, children, describe, extension, extensions, flag, localType, text, type ModdleElement } from '../moddle-access.js';
import { CALLING_EXECUTION, type CalledElementSpec, type IoMapping, type MultiInstanceSpec, type PassAll, type PassedIn, type ScriptSpec, type UserTaskSpec, type VariablePassing } from '../process-model.js';
import { withoutUndefined } from '../../util/without-undefined.js';
import { camundaForm, camundaFormLink } from './camunda-forms.js';
import { splitCommaList } from './comma-list.js';
import { camundaBinding } from './camunda-binding.js';
import { camundaDecisionRef } from './decision-ref.js';
import { DELEGATE_ATTRIBUTES, delegateTopic, type DelegateAttribute } from './delegate-topic.js';
import type { Implementation } from './implementation.js';

/** Nesting limit for camunda:list / camunda:map values, far above anything drawn by hand. */
const MAX_VALUE_DEPTH = 32;

/** An empty parameter, list item or script sets null, as in Camunda. */
const NULL_VALUE: Expression = { source: '', feel: 'null' };

export function camundaUserTask(task: ModdleElement, ctx: CompileContext): Partial<UserTaskSpec> {
  const attribute = (name: string, what: string) => ctx.expression(task, what, text(task, `camunda:${name}`), 'literal');
  const form = camundaForm(task);
  return withoutUndefined({
    assignee: attribute('assignee', 'assignee'),
    candidateUsers: candidates(task, 'candidateUsers', 'candidate users', ctx),
    candidateGroups: candidates(task, 'candidateGroups', 'candidate groups', ctx),
    dueDate: attribute('dueDate', 'due date'),
    followUpDate: attribute('followUpDate', 'follow-up date'),
    priority: attribute('priority', 'priority'),
    formKey: form.formKey,
    formKeyExpression: text(task, 'camunda:formKey')?.includes('${') ? attribute('formKey', 'form key') : undefined,
    formFields: form.formFields.length > 0 ? form.formFields : undefined,
    formLink: camundaFormLink(task, ctx),
  });
}

function candidates(task: ModdleElement, name: string, what: string, ctx: CompileContext): Expression[] | undefined {
  const value = text(task, `camunda:${name}`);
  if (value === undefined) return undefined;
  return splitCommaList(value).flatMap((entry) => ctx.expression(task, what, entry, 'literal') ?? []);
}

/**
 * The implementation of a service, send or business rule task, or of a message throw event (whose
 * `holder` is its messageEventDefinition); undefined when there is no camunda:* implementation.
 */
export function camundaImplementation(holder: ModdleElement, element: ModdleElement, ctx: CompileContext): Implementation | undefined {
  const type = text(holder, 'camunda:type');
  if (type === 'external') {
    const topicText = text(holder, 'camunda:topic');
    if (topicText === undefined) {
      return { kind: 'other', key: 'camunda:type=external without camunda:topic', description: 'camunda:type="external" without a camunda:topic' };
    }
    const topic = ctx.expression(element, 'external task topic', topicText, 'literal');
    const priority = camundaTaskPriority(holder, element, ctx);
    if (topic === undefined || priority === null) return { kind: 'invalid' };
    return { kind: 'external', spec: withoutUndefined({ topic, priority, ...camundaRetries(element, ctx) }) };
  }
  for (const attribute of DELEGATE_ATTRIBUTES) {
    const value = text(holder, `camunda:${attribute}`);
    if (value !== undefined) return javaDelegate(attribute, value, holder, element, ctx);
  }
  const decision = text(holder, 'camunda:decisionRef');
  if (decision !== undefined) return camundaDecisionRef(element, decision, ctx);
  if (type !== undefined) return { kind: 'other', key: 'camunda:type', description: `camunda:type="${type}"` };
  const connector = extension(holder, 'camunda:Connector');
  return connector === undefined ? undefined : camundaConnector(connector, element, ctx);
}

/**
 * camunda:taskPriority of an external task, or of a process for its external tasks: a whole number, or an
 * expression that gives one when the task is created. Null after a problem.
 */
export function camundaTaskPriority(holder: ModdleElement, element: ModdleElement, ctx: CompileContext): Expression | undefined | null {
  const value = text(holder, 'camunda:taskPriority');
  // an empty attribute, as a modeler leaves a cleared field, names no priority
  if (value === undefined || value.trim() === '') return undefined;
  const priority = ctx.expression(element, 'task priority', value, 'literal');
  if (priority === undefined) return null;
  if (priority.literal !== undefined && !/^\s*[+-]?\d+\s*$/.test(priority.literal)) {
    ctx.report(element, `The camunda:taskPriority of ${describe(element)} ('${value}') is not a whole number or an expression`);
    return null;
  }
  return priority;
}

/**
 * A Java delegate runs as an external task, on the topic delegate-topic.ts names after it. Values it would
 * have had injected (camunda:field) cannot reach a worker, which sees variables only, so they refuse it.
 */
function javaDelegate(attribute: DelegateAttribute, value: string, holder: ModdleElement, element: ModdleElement, ctx: CompileContext): Implementation {
  const fields = extensions(holder, 'camunda:Field').map((field) => `'${text(field, 'name') ?? '?'}'`);
  if (fields.length > 0) {
    return {
      kind: 'other',
      key: 'camunda:field',
      description: `field injection (camunda:field ${fields.join(', ')}) into camunda:${attribute}="${value}"`,
      hint: 'the delegate runs as an external task, whose worker sees variables, not fields: pass the values as camunda:inputParameter',
    };
  }
  const topic = delegateTopic(attribute, value);
  if (topic === '') {
    ctx.report(element, `No topic can be named after camunda:${attribute}="${value}" of ${describe(element)}; give it camunda:type="external" and a camunda:topic`);
    return { kind: 'invalid' };
  }
  const spec = { topic: { source: value, literal: topic }, ...camundaRetries(element, ctx) };
  const resultVariable = attribute === 'expression' ? text(holder, 'camunda:resultVariable') : undefined;
  return resultVariable === undefined ? { kind: 'external', spec } : { kind: 'external', spec, io: delegateResult(resultVariable) };
}

/**
 * An expression's value goes to its camunda:resultVariable; run by a worker, the value is what it
 * completes with as `result`. That variable is a local of the task, so that a worker that sends none sets
 * null, not the result of an earlier task, and it does not outlive the task.
 */
function delegateResult(resultVariable: string): { inputs: IoMapping[]; outputs: IoMapping[] } {
  return {
    inputs: [{ source: NULL_VALUE, target: 'result' }],
    outputs: [{ source: { source: 'result', feel: 'result' }, target: resultVariable }],
  };
}

/** Camunda Connect's HTTP connector: what its input parameters name, as the spec names it. */
const HTTP_CONNECTOR_INPUTS: Readonly<Record<string, 'url' | 'method' | 'headers' | 'body'>> = {
  url: 'url', method: 'method', headers: 'headers', payload: 'body',
};

/**
 * A camunda:connector. Only http-connector is run, by the engine itself; its input parameters are
 * evaluated in the task's scope, its output parameters over the response.
 */
function camundaConnector(connector: ModdleElement, element: ModdleElement, ctx: CompileContext): Implementation {
  const id = text(connector, 'connectorId')?.trim();
  if (id !== 'http-connector') {
    return { kind: 'other', key: 'camunda:connector', description: id === undefined ? 'a camunda:connector without connectorId' : `camunda:connector '${id}'` };
  }
  const what = `The camunda:connector 'http-connector' of ${describe(element)}`;
  const io = child(connector, 'inputOutput');
  const parameters = io === undefined ? [] : children(io, 'inputParameters');
  const request: Partial<Record<'url' | 'method' | 'headers' | 'body', Expression>> = {};
  for (const { source, target } of io === undefined ? [] : readParameters(io, 'inputParameters', 'connector input parameter', element, ctx)) {
    if (Object.hasOwn(HTTP_CONNECTOR_INPUTS, target)) request[HTTP_CONNECTOR_INPUTS[target]!] = source;
    else ctx.report(element, `${what} has an input parameter '${target}', which this engine does not use (it reads ${Object.keys(HTTP_CONNECTOR_INPUTS).join(', ')})`);
  }
  const { url } = request;
  if (url === undefined || url === NULL_VALUE) {
    // a url that did not compile was reported already
    if (url === NULL_VALUE || !parameters.some((parameter) => text(parameter, 'name') === 'url')) ctx.report(element, `${what} has no url input parameter`);
    return { kind: 'invalid' };
  }
  const spec: HttpConnectorSpec = {
    ...request,
    url,
    outputs: io === undefined ? [] : readParameters(io, 'outputParameters', 'connector output parameter', element, ctx),
    ...camundaRetries(element, ctx),
  };
  return { kind: 'connector', spec };
}

/**
 * camunda:failedJobRetryTimeCycle: `R5/PT5M` means 5 retries 5 minutes apart; a list of durations
 * (`PT1M,PT5M,PT1H`) means one retry per entry.
 */
export function camundaRetries(element: ModdleElement, ctx: CompileContext): { retries?: number; retryTimeCycle?: string } {
  const cycle = extension(element, 'camunda:FailedJobRetryTimeCycle');
  const body = cycle === undefined ? undefined : text(cycle, 'body')?.trim();
  if (body === undefined) return {};
  const repeat = /^R(\d+)\/.+$/.exec(body);
  if (repeat) return { retries: Number(repeat[1]), retryTimeCycle: body };
  const intervals = body.split(',').map((entry) => entry.trim());
  if (intervals.every((entry) => /^P\S+$/.test(entry))) return { retries: intervals.length, retryTimeCycle: body };
  ctx.report(element, `The camunda:failedJobRetryTimeCycle of ${describe(element)} ('${body}') is not a retry cycle such as R5/PT5M`);
  return {};
}

/**
 * A standard BPMN script (scriptFormat + script) with Camunda's camunda:resultVariable. Only FEEL is
 * compiled; a script in another language is kept as text so that the construct table can refuse it.
 */
export function camundaScript(task: ModdleElement, ctx: CompileContext): ScriptSpec | undefined {
  const format = text(task, 'scriptFormat');
  const resource = text(task, 'camunda:resource');
  if (resource !== undefined) {
    ctx.report(task, `The scriptTask ${describe(task)} loads its script from camunda:resource="${resource}"; write the script inline`);
    return undefined;
  }
  if (format === undefined) return undefined;
  const body = text(task, 'script');
  const resultVariable = text(task, 'camunda:resultVariable');
  if (format.toLowerCase() !== 'feel') return withoutUndefined({ format, script: { source: body ?? '' }, resultVariable });
  if (body === undefined) {
    ctx.report(task, `The scriptTask ${describe(task)} has no script`);
    return undefined;
  }
  const script = ctx.expression(task, 'script', body, 'feel');
  return script === undefined ? undefined : withoutUndefined({ format: 'feel', script, resultVariable });
}

export function camundaAsync(element: ModdleElement): { asyncBefore: boolean; asyncAfter: boolean } {
  return {
    asyncBefore: flag(element, 'camunda:asyncBefore') === true || flag(element, 'camunda:async') === true,
    asyncAfter: flag(element, 'camunda:asyncAfter') === true,
  };
}

export function camundaInputOutput(element: ModdleElement, ctx: CompileContext): { inputs: IoMapping[]; outputs: IoMapping[] } | undefined {
  const io = extension(element, 'camunda:InputOutput');
  if (io === undefined) return undefined;
  return {
    inputs: readParameters(io, 'inputParameters', 'input parameter', element, ctx),
    outputs: readParameters(io, 'outputParameters', 'output parameter', element, ctx),
  };
}

/** The input or output parameters of a camunda:inputOutput (of `element` or of its connector). */
function readParameters(io: ModdleElement, kind: 'inputParameters' | 'outputParameters', what: string, element: ModdleElement, ctx: CompileContext): IoMapping[] {
  return children(io, kind).flatMap((parameter) => {
    const target = text(parameter, 'name');
    if (target === undefined) {
      ctx.report(parameter, `${/^[aeiou]/i.test(what) ? 'An' : 'A'} ${what} of ${describe(element)} has no name`);
      return [];
    }
    const source = parameterValue(parameter, `${what} '${target}'`, element, ctx, 0);
    return source === undefined ? [] : [{ source, target }];
  });
}

/** The value of a parameter, list item or map entry: text, a camunda:list, a camunda:map or a script. */
function parameterValue(holder: ModdleElement, what: string, element: ModdleElement, ctx: CompileContext, depth: number): Expression | undefined {
  const definition = child(holder, 'definition');
  if (definition !== undefined && localType(definition) !== 'value') return definitionValue(definition, what, element, ctx, depth);
  const value = text(definition ?? holder, 'value');
  return value === undefined ? NULL_VALUE : ctx.expression(holder, what, value, 'literal');
}

function definitionValue(definition: ModdleElement, what: string, element: ModdleElement, ctx: CompileContext, depth: number): Expression | undefined {
  if (depth > MAX_VALUE_DEPTH) {
    ctx.report(element, `The ${what} of ${describe(element)} nests lists and maps more than ${MAX_VALUE_DEPTH} levels deep`);
    return undefined;
  }
  switch (definition.$type) {
    case 'camunda:List': {
      const items = children(definition, 'items').map((item) =>
        localType(item) === 'value' ? parameterValue(item, what, element, ctx, depth + 1) : definitionValue(item, what, element, ctx, depth + 1),
      );
      return composite(items, (feel) => `[${feel.join(', ')}]`);
    }
    case 'camunda:Map': {
      const entries = children(definition, 'entries');
      const values = entries.map((entry) => parameterValue(entry, what, element, ctx, depth + 1));
      const keys = entries.map((entry) => feelString(text(entry, 'key') ?? ''));
      return composite(values, (feel) => `{${feel.map((value, i) => `${keys[i]}: ${value}`).join(', ')}}`);
    }
    case 'camunda:Script': {
      const format = text(definition, 'scriptFormat') ?? 'none';
      if (format.toLowerCase() !== 'feel') {
        ctx.report(element, `The ${what} of ${describe(element)} is a script in '${format}'; only FEEL scripts are run`);
        return undefined;
      }
      const script = text(definition, 'value');
      return script === undefined ? NULL_VALUE : ctx.expression(element, what, script, 'feel');
    }
    default:
      ctx.report(element, `The ${what} of ${describe(element)} has a value of unknown form (${definition.$type})`);
      return undefined;
  }
}

/** A FEEL list or context built from compiled parts; undefined when a part did not compile. */
function composite(parts: readonly (Expression | undefined)[], build: (feel: string[]) => string): Expression | undefined {
  const feel: string[] = [];
  for (const part of parts) {
    if (part === undefined) return undefined;
    feel.push(part.literal !== undefined ? feelString(part.literal) : `(${part.feel})`);
  }
  const text = build(feel);
  return { source: text, feel: text, ...(parts.some((part) => part?.openEnded) ? { openEnded: true } : {}) };
}

export function camundaMultiInstance(loop: ModdleElement, ctx: CompileContext): Partial<MultiInstanceSpec> {
  const { asyncBefore, asyncAfter } = camundaAsync(loop);
  return withoutUndefined({
    // a plain name is the name of the collection variable, which is what it means in FEEL too
    collection: ctx.expression(loop, 'multi-instance collection', text(loop, 'camunda:collection'), 'feel'),
    elementVariable: text(loop, 'camunda:elementVariable'),
    asyncBefore: asyncBefore || undefined,
    asyncAfter: asyncAfter || undefined,
  });
}

export function camundaCalledElement(activity: ModdleElement, ctx: CompileContext): Partial<CalledElementSpec> {
  const { binding, version, versionTag } = camundaBinding(activity, 'camunda:calledElement', ctx, CALLING_EXECUTION);
  const outs = extensions(activity, 'camunda:Out');
  return withoutUndefined({
    binding,
    version,
    versionTag,
    tenantId: ctx.expression(activity, 'camunda:calledElementTenantId', text(activity, 'camunda:calledElementTenantId'), 'literal', CALLING_EXECUTION),
    ...passedIn(extensions(activity, 'camunda:In'), activity, ctx, CALLING_EXECUTION),
    outputs: outs.flatMap((passing) => variablePassing(passing, activity, 'camunda:out', ctx)),
    outputAll: passAll(outs),
    outputsOnThrow: true,
  } satisfies Partial<CalledElementSpec>);
}

/** the camunda:in of a throwing signal event definition (Camunda 7.x), undefined when it has none */
export function camundaSignalPayload(definition: ModdleElement, event: ModdleElement, ctx: CompileContext): PassedIn | undefined {
  const ins = extensions(definition, 'camunda:In');
  return ins.length ? passedIn(ins, event, ctx, CALLING_EXECUTION) : undefined;
}

function passedIn(ins: readonly ModdleElement[], element: ModdleElement, ctx: CompileContext, execution: readonly string[]): PassedIn {
  const businessKey = ins.find((passing) => text(passing, 'businessKey') !== undefined);
  return withoutUndefined({
    inputs: ins.flatMap((passing) => variablePassing(passing, element, 'camunda:in', ctx)),
    inputAll: passAll(ins),
    businessKey: businessKey === undefined ? undefined : ctx.expression(businessKey, 'business key', text(businessKey, 'businessKey'), 'literal', execution),
  });
}

function passAll(passings: readonly ModdleElement[]): PassAll {
  const all = passings.find((passing) => text(passing, 'variables') === 'all');
  return all === undefined ? 'none' : flag(all, 'local') === true ? 'local' : 'all';
}

/** camunda:in / camunda:out with source (a variable name) or sourceExpression, copied to target. */
function variablePassing(passing: ModdleElement, activity: ModdleElement, what: string, ctx: CompileContext): VariablePassing[] {
  const variable = text(passing, 'source');
  const sourceExpression = text(passing, 'sourceExpression');
  if (variable === undefined && sourceExpression === undefined) {
    if (text(passing, 'variables') === undefined && text(passing, 'businessKey') === undefined) {
      ctx.report(activity, `A ${what} of ${describe(activity)} names neither source, sourceExpression, variables nor businessKey`);
    }
    return [];
  }
  const target = text(passing, 'target') ?? variable;
  if (target === undefined) {
    ctx.report(activity, `A ${what} of ${describe(activity)} has a sourceExpression but no target`);
    return [];
  }
  const local = flag(passing, 'local') === true;
  if (variable !== undefined) return [{ target, variable, local }];
  const expression = ctx.expression(passing, `${what} sourceExpression`, sourceExpression, 'literal');
  return expression === undefined ? [] : [{ target, expression, local }];
}

/** Listeners run code this engine does not run; they are named so that the element can be refused. */
export function camundaListeners(element: ModdleElement): string[] {
  return ['camunda:ExecutionListener', 'camunda:TaskListener'].flatMap((type) =>
    extensions(element, type).map((listener) => {
      const how = ['class', 'delegateExpression', 'expression'].flatMap((name) => {
        const value = text(listener, name);
        return value === undefined ? [] : [`${name}="${value}"`];
      });
      if (child(listener, 'script') !== undefined) how.push('a script');
      return `a camunda:${localType(listener)} on '${text(listener, 'event') ?? '?'}' (${how.join(', ') || 'no handler'})`;
    }),
  );
}

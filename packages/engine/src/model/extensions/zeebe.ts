// Camunda 8 extensions (namespace http://camunda.org/schema/zeebe/1.0). Their expressions start with
// `=` (FEEL); text without it is a static value.
import type { HttpConnectorSpec } from '../../connectors/http-connector-spec.js';
import type { Expression } from '../../expressions/expression.js';
import type { CompileContext } from '../compile-context.js';
import { children, describe, extension, extensions, flag, text, type ModdleElement } from '../moddle-access.js';
import type { CalledElementSpec, FormLink, IoMapping, MultiInstanceSpec, ScriptSpec, UserTaskSpec } from '../process-model.js';
import { withoutUndefined } from '../../util/without-undefined.js';
import { splitCommaList } from './comma-list.js';
import { formJsFields } from './form-js.js';
import { zeebeCalledDecision } from './decision-ref.js';
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
    formLink: zeebeFormLink(task, ctx),
    ...zeebeEmbeddedForm(task, ctx),
  });
}

/** What a formKey `camunda-forms:bpmn:<id>` names: the form-js schema in a zeebe:userTaskForm of the process. */
const EMBEDDED_FORM_KEY = /^camunda-forms:bpmn:(.+)$/;

/**
 * The form-js form embedded in the process for a user task or a start event, with its fields; nothing
 * for a linked or external form, which the model does not hold.
 */
export function zeebeEmbeddedForm(task: ModdleElement, ctx: CompileContext): Pick<UserTaskSpec, 'formSchema' | 'formFields'> | undefined {
  const id = EMBEDDED_FORM_KEY.exec(zeebeFormKey(task) ?? '')?.[1];
  let process: ModdleElement | undefined = task.$parent;
  while (process !== undefined && process.$type !== 'bpmn:Process') process = process.$parent;
  const form = id === undefined || process === undefined ? undefined : extensions(process, 'zeebe:UserTaskForm').find((f) => text(f, 'id') === id);
  if (form === undefined) return undefined;
  const schema = jsonObject(text(form, 'body') ?? '');
  if (schema === undefined) {
    ctx.report(task, `The form '${id}' of ${describe(task)} (zeebe:userTaskForm) is not a JSON form-js schema`);
    return undefined;
  }
  return { formSchema: schema, formFields: formJsFields(schema) };
}

function jsonObject(source: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(source);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const ZEEBE_BINDINGS: readonly string[] = ['latest', 'deployment', 'versionTag'];

/** zeebe:formDefinition formId: a form deployed beside the process, bound by bindingType (latest by default). */
export function zeebeFormLink(element: ModdleElement, ctx: CompileContext): FormLink | undefined {
  const form = extension(element, 'zeebe:FormDefinition');
  const formId = form === undefined ? undefined : text(form, 'formId');
  if (form === undefined || formId === undefined) return undefined;
  const binding = text(form, 'bindingType') ?? 'latest';
  const versionTag = text(form, 'versionTag');
  if (!ZEEBE_BINDINGS.includes(binding)) ctx.report(element, `The form binding '${binding}' of ${describe(element)} is not supported (use ${ZEEBE_BINDINGS.join(', ')})`);
  else if (binding === 'versionTag' && versionTag === undefined) ctx.report(element, `${describe(element)} binds its form by versionTag but names none`);
  else return withoutUndefined({ formId, binding: binding as FormLink['binding'], versionTag });
  return undefined;
}

/** A linked form (formId), a custom form key, or an external form reference. */
export function zeebeFormKey(element: ModdleElement): string | undefined {
  const form = extension(element, 'zeebe:FormDefinition');
  if (form === undefined) return undefined;
  return text(form, 'formKey') ?? text(form, 'formId') ?? text(form, 'externalReference');
}

/**
 * zeebe:taskDefinition makes any service-like element a job for workers of its type, except the type
 * of Camunda 8's REST connector, which the engine runs itself.
 */
export function zeebeImplementation(element: ModdleElement, ctx: CompileContext): Implementation | undefined {
  const definition = extension(element, 'zeebe:TaskDefinition');
  if (definition !== undefined) {
    const type = text(definition, 'type');
    if (type === undefined) return { kind: 'other', key: 'zeebe:taskDefinition without type', description: 'a zeebe:taskDefinition without a type' };
    const retries = zeebeRetries(definition, element, ctx);
    if (type.trim() === HTTP_JSON_TYPE) return zeebeHttpConnector(element, retries, ctx);
    const topic = ctx.expression(definition, 'job type', type, 'literal');
    if (topic === undefined || retries === undefined) return { kind: 'invalid' };
    return { kind: 'external', spec: { topic, ...retries } };
  }
  const decision = extension(element, 'zeebe:CalledDecision');
  return decision === undefined ? undefined : zeebeCalledDecision(element, decision, ctx);
}

/** The retries of a zeebe:taskDefinition; undefined, after a problem, when they are not a whole number. */
function zeebeRetries(definition: ModdleElement, element: ModdleElement, ctx: CompileContext): { retries?: number } | undefined {
  const retriesText = text(definition, 'retries')?.trim();
  if (retriesText === undefined) return {};
  if (/^\d+$/.test(retriesText)) return { retries: Number(retriesText) };
  ctx.report(element, `The zeebe:taskDefinition retries of ${describe(element)} ('${retriesText}') must be a whole number`);
  return undefined;
}

/** The job type of Camunda 8's REST connector (its element template io.camunda.connectors.HttpJson). */
const HTTP_JSON_TYPE = 'io.camunda:http-json:1';

/**
 * The connector's zeebe:input targets, as the spec names them. They are read into the spec instead of
 * becoming local variables of the task; `authentication.*` is only checked (see zeebeHttpConnector).
 */
const HTTP_JSON_INPUTS: Readonly<Record<string, 'url' | 'method' | 'headers' | 'query' | 'body' | 'timeoutSeconds'>> = {
  url: 'url', method: 'method', headers: 'headers', queryParameters: 'query', body: 'body', connectionTimeoutInSeconds: 'timeoutSeconds',
};

function isHttpJsonTask(element: ModdleElement): boolean {
  const definition = extension(element, 'zeebe:TaskDefinition');
  return definition !== undefined && text(definition, 'type')?.trim() === HTTP_JSON_TYPE;
}

function isHttpJsonInput(target: string | undefined): boolean {
  return target !== undefined && (Object.hasOwn(HTTP_JSON_INPUTS, target) || target === 'authentication' || target.startsWith('authentication.'));
}

/**
 * Camunda 8's REST connector. Its request comes from the task's zeebe:input mappings (FEEL after `=`,
 * text otherwise), its result from the resultVariable and resultExpression task headers.
 */
function zeebeHttpConnector(element: ModdleElement, retries: { retries?: number } | undefined, ctx: CompileContext): Implementation {
  const what = `The REST connector of ${describe(element)} (zeebe:taskDefinition type="${HTTP_JSON_TYPE}")`;
  const io = extension(element, 'zeebe:IoMapping');
  const mappings = (io === undefined ? [] : children(io, 'inputParameters')).filter((mapping) => isHttpJsonInput(text(mapping, 'target')));
  const request: Partial<Record<'url' | 'method' | 'headers' | 'query' | 'body' | 'timeoutSeconds', Expression>> = {};
  const authentication: string[] = [];
  for (const { source, target } of mappings.flatMap((mapping) => readMapping(mapping, element, 'connector input', ctx))) {
    if (Object.hasOwn(HTTP_JSON_INPUTS, target)) request[HTTP_JSON_INPUTS[target]!] = source;
    // the connector form always writes authentication.type, noAuth when there is none
    else if (target !== 'authentication.type' || source.literal !== 'noAuth') authentication.push(`${target}=${source.source}`);
  }
  if (authentication.length > 0) {
    ctx.report(element, `${what} uses authentication (${authentication.join(', ')}), which this engine does not support; send credentials in the headers`);
  }
  const headers = extension(element, 'zeebe:TaskHeaders');
  const header = (key: string): string | undefined => {
    const entry = headers === undefined ? undefined : children(headers, 'values').find((candidate) => text(candidate, 'key') === key);
    return entry === undefined ? undefined : text(entry, 'value');
  };
  if (header('errorExpression') !== undefined) {
    ctx.report(element, `${what} has an errorExpression, which this engine does not support: a failed call raises an incident`);
  }
  const resultExpression = ctx.expression(element, 'result expression', header('resultExpression'), 'feel');
  const { url } = request;
  if (url === undefined) {
    // a url that did not compile was reported already
    if (!mappings.some((mapping) => text(mapping, 'target') === 'url')) ctx.report(element, `${what} has no url input`);
    return { kind: 'invalid' };
  }
  if (retries === undefined) return { kind: 'invalid' };
  const spec: HttpConnectorSpec = withoutUndefined({
    ...request,
    url,
    outputs: [],
    resultVariable: header('resultVariable'),
    resultExpression,
    ...retries,
  });
  return { kind: 'connector', spec };
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

/** The task's own mappings; the inputs that configure the REST connector are its spec's, not variables. */
export function zeebeIoMapping(element: ModdleElement, ctx: CompileContext): { inputs: IoMapping[]; outputs: IoMapping[] } | undefined {
  const io = extension(element, 'zeebe:IoMapping');
  if (io === undefined) return undefined;
  const connector = isHttpJsonTask(element);
  return {
    inputs: children(io, 'inputParameters')
      .filter((mapping) => !connector || !isHttpJsonInput(text(mapping, 'target')))
      .flatMap((mapping) => readMapping(mapping, element, 'input mapping', ctx)),
    outputs: children(io, 'outputParameters').flatMap((mapping) => readMapping(mapping, element, 'output mapping', ctx)),
  };
}

function readMapping(mapping: ModdleElement, element: ModdleElement, what: string, ctx: CompileContext): IoMapping[] {
  const target = text(mapping, 'target');
  const sourceText = text(mapping, 'source');
  if (target === undefined || sourceText === undefined) {
    ctx.report(element, `${/^[aeiou]/i.test(what) ? 'An' : 'A'} ${what} of ${describe(element)} needs both a source and a target`);
    return [];
  }
  const source = ctx.expression(mapping, `${what} '${target}'`, sourceText, 'literal');
  return source === undefined ? [] : [{ source, target }];
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
export function zeebeCalledElement(activity: ModdleElement, ctx: CompileContext, hasOutputMappings: boolean): Partial<CalledElementSpec> | undefined {
  const called = extension(activity, 'zeebe:CalledElement');
  if (called === undefined) return undefined;
  return withoutUndefined({
    processKey: ctx.expression(called, 'called process id', text(called, 'processId'), 'literal'),
    // without propagation the child gets the call activity's input mappings only, which are its locals
    inputAll: flag(called, 'propagateAllParentVariables') === false ? 'local' : 'all',
    // output mappings, when there are any, decide alone what comes back (Zeebe ignores the flag then)
    outputAll: hasOutputMappings ? 'local' : flag(called, 'propagateAllChildVariables') === false ? 'none' : 'all',
    outputsOnThrow: false,
  } satisfies Partial<CalledElementSpec>);
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

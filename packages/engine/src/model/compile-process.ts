import type { CompileContext } from './compile-context.js';
import { compileFlowNode, type FlowNodeBody } from './compile-flow-node.js';
import { formalExpression } from './event-definition.js';
import { camundaTaskPriority } from './extensions/camunda.js';
import { camundaForm, camundaFormLink } from './extensions/camunda-forms.js';
import { zeebeEmbeddedForm, zeebeFormKey, zeebeFormLink } from './extensions/zeebe.js';
import { parseHistoryTimeToLive } from './history-time-to-live.js';
import { child, children, describe, documentation, extension, idOf, isA, localType, text, type ModdleElement } from './moddle-access.js';
import type { FlowNode, ProcessModel, Scope, SequenceFlow } from './process-model.js';
import { scopeReachability } from './reachability.js';
import type { Construct } from './supported-elements.js';
import { withoutUndefined } from '../util/without-undefined.js';

/** Every flow node found in the process, those the model has a kind for and those it has not. */
export interface ElementRecord {
  /** local BPMN type: 'userTask', 'complexGateway' … */
  readonly type: string;
  readonly constructs: readonly Construct[];
}

/** A process compiled but not yet validated or frozen. */
export interface CompiledProcess {
  readonly model: ProcessModel;
  readonly records: ReadonlyMap<string, ElementRecord>;
  /** the scope (process or sub-process id) each sequence flow is declared in */
  readonly flowScopes: ReadonlyMap<string, string>;
}

interface PendingScope {
  readonly scopeId: string;
  readonly elements: readonly ModdleElement[];
  index: number;
}

/**
 * Compiles one executable process. The tree is walked with an explicit stack, in document order, so
 * that deeply nested sub-processes cannot overflow the call stack. A sequence flow whose end is missing
 * gets '' there, after a problem was recorded.
 */
export function compileProcess(process: ModdleElement, participantName: string | undefined, ctx: CompileContext): CompiledProcess | undefined {
  const processId = idOf(process);
  if (processId === undefined) {
    ctx.report(process, 'An executable process has no id, which it needs as its definition key');
    return undefined;
  }
  const bodies = new Map<string, FlowNodeBody>();
  const moddleElements = new Map<string, ModdleElement>();
  const records = new Map<string, ElementRecord>();
  const flows = new Map<string, SequenceFlow>();
  const flowScopes = new Map<string, string>();
  const scopeChildren = new Map<string, string[]>([[processId, []]]);
  const associations = associationsOf(process);
  const pending: PendingScope[] = [{ scopeId: processId, elements: children(process, 'flowElements'), index: 0 }];
  while (pending.length > 0) {
    const scope = pending[pending.length - 1]!;
    const element = scope.elements[scope.index++];
    if (element === undefined) {
      pending.pop();
      continue;
    }
    // data objects and data store references carry no behaviour
    if (!isA(element, 'bpmn:FlowNode') && !isA(element, 'bpmn:SequenceFlow')) continue;
    const id = idOf(element);
    if (id === undefined) {
      ctx.report(element, `A ${localType(element)} in ${scope.scopeId === processId ? 'process' : 'sub-process'} '${scope.scopeId}' has no id`);
      continue;
    }
    if (isA(element, 'bpmn:SequenceFlow')) {
      flows.set(id, compileSequenceFlow(element, id, ctx));
      flowScopes.set(id, scope.scopeId);
      continue;
    }
    const { node, constructs } = compileFlowNode(element, id, scope.scopeId, ctx);
    records.set(id, { type: localType(element), constructs });
    if (node === undefined) continue;
    bodies.set(id, node);
    moddleElements.set(id, element);
    scopeChildren.get(scope.scopeId)!.push(id);
    if (node.kind === 'subProcess' || node.kind === 'transaction') {
      scopeChildren.set(id, []);
      associations.push(...associationsOf(element));
      pending.push({ scopeId: id, elements: children(element, 'flowElements'), index: 0 });
    }
  }
  const elements = linkNodes(bodies, flows, scopeChildren, associations);
  const scopes = new Map([...scopeChildren].map(([scopeId, ids]) => [scopeId, scopeOf(scopeId, ids, elements, flows)]));
  const processScope = scopes.get(processId)!;
  const startsBy = (kind: string) => processScope.children.filter((id) => {
    const node = elements.get(id)!;
    return node.kind === 'startEvent' && node.eventDefinition.kind === kind;
  });
  const versionTag = extension(process, 'zeebe:VersionTag');
  const ttl = text(process, 'camunda:historyTimeToLive');
  const historyTimeToLive = ttl === undefined ? undefined : parseHistoryTimeToLive(ttl);
  if (typeof historyTimeToLive === 'string') ctx.report(process, historyTimeToLive);
  const model: ProcessModel = withoutUndefined({
    id: processId,
    name: text(process, 'name') ?? participantName ?? '',
    versionTag: text(process, 'camunda:versionTag') ?? (versionTag === undefined ? undefined : text(versionTag, 'value')),
    documentation: documentation(process),
    historyTimeToLiveDays: typeof historyTimeToLive === 'number' ? historyTimeToLive : undefined,
    elements,
    flows,
    scopes,
    noneStartEvent: processScope.noneStartEvent,
    taskPriority: camundaTaskPriority(process, process, ctx) ?? undefined,
    initiatorVariable: initiatorOf(processScope.children.filter((id) => elements.get(id)!.kind === 'startEvent'), moddleElements),
    messageStartEvents: startsBy('message'),
    signalStartEvents: startsBy('signal'),
    timerStartEvents: startsBy('timer'),
    conditionalStartEvents: startsBy('conditional'),
    startForm: processScope.noneStartEvent === undefined ? undefined : startFormOf(moddleElements.get(processScope.noneStartEvent)!, ctx),
  });
  return { model, records, flowScopes };
}

/**
 * Camunda 7 keeps camunda:initiator per definition, whichever of the process's start events names it (the
 * last one does when several do), and fills it however an instance starts.
 */
function initiatorOf(startEvents: readonly string[], moddleElements: ReadonlyMap<string, ModdleElement>): string | undefined {
  return startEvents.map((id) => text(moddleElements.get(id)!, 'camunda:initiator')?.trim()).filter(Boolean).at(-1);
}

function compileSequenceFlow(flow: ModdleElement, id: string, ctx: CompileContext): SequenceFlow {
  const end = (property: string): string => {
    const node = child(flow, property);
    if (node !== undefined) return idOf(node) ?? '';
    if (!ctx.unresolved.has(flow, property)) ctx.report(flow, `${describe(flow)} has no ${property}`);
    return '';
  };
  return withoutUndefined({
    id,
    name: text(flow, 'name') ?? '',
    sourceRef: end('sourceRef'),
    targetRef: end('targetRef'),
    condition: formalExpression(flow, 'conditionExpression', 'condition', flow, ctx),
  });
}

/** the two ends of an association, as drawn: a compensation boundary event and its handler, either way round */
type Association = readonly [string, string];

function associationsOf(container: ModdleElement): Association[] {
  return children(container, 'artifacts').filter((artifact) => isA(artifact, 'bpmn:Association')).flatMap((association) => {
    const [source, target] = ['sourceRef', 'targetRef'].map((end) => {
      const element = child(association, end);
      return element === undefined ? undefined : idOf(element);
    });
    return source === undefined || target === undefined ? [] : [[source, target] as const];
  });
}

/** each activity with a compensation boundary event, and the handler that event is associated with */
function compensationHandlers(bodies: ReadonlyMap<string, FlowNodeBody>, associations: readonly Association[]): Map<string, string> {
  const handlers = new Map<string, string>();
  for (const body of bodies.values()) {
    if (body.attachedTo === undefined || body.eventDefinition.kind !== 'compensate') continue;
    const handler = associations.flatMap(([a, b]) => (a === body.id ? [b] : b === body.id ? [a] : []))[0];
    if (handler !== undefined) handlers.set(body.attachedTo, handler);
  }
  return handlers;
}

/** Adds what only the whole graph tells: flows in and out (document order), boundary events, scope starts, compensation handlers. */
function linkNodes(
  bodies: ReadonlyMap<string, FlowNodeBody>,
  flows: ReadonlyMap<string, SequenceFlow>,
  scopeChildren: ReadonlyMap<string, readonly string[]>,
  associations: readonly Association[],
): Map<string, FlowNode> {
  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  const boundaryEvents = new Map<string, string[]>();
  const add = (index: Map<string, string[]>, key: string, value: string) => {
    if (!bodies.has(key)) return;
    const list = index.get(key);
    if (list === undefined) index.set(key, [value]);
    else list.push(value);
  };
  for (const flow of flows.values()) {
    add(outgoing, flow.sourceRef, flow.id);
    add(incoming, flow.targetRef, flow.id);
  }
  for (const body of bodies.values()) {
    if (body.attachedTo !== undefined) add(boundaryEvents, body.attachedTo, body.id);
  }
  const handlers = compensationHandlers(bodies, associations);
  const linked = new Map<string, FlowNode>();
  for (const [id, body] of bodies) {
    const node: FlowNode = withoutUndefined({
      ...body, incoming: incoming.get(id) ?? [], outgoing: outgoing.get(id) ?? [], boundaryEvents: boundaryEvents.get(id) ?? [],
      noneStartEvent: body.kind === 'subProcess' || body.kind === 'transaction' ? noneStartEventOf(scopeChildren.get(id) ?? [], bodies) : undefined,
      compensationHandler: handlers.get(id),
    });
    linked.set(id, node);
  }
  return linked;
}

function noneStartEventOf(ids: readonly string[], nodes: ReadonlyMap<string, FlowNodeBody>): string | undefined {
  return ids.find((id) => {
    const node = nodes.get(id)!;
    return node.kind === 'startEvent' && node.eventDefinition.kind === 'none';
  });
}

function scopeOf(scopeId: string, ids: readonly string[], elements: ReadonlyMap<string, FlowNode>, flows: ReadonlyMap<string, SequenceFlow>): Scope {
  return withoutUndefined({
    id: scopeId,
    children: ids,
    noneStartEvent: noneStartEventOf(ids, elements),
    eventSubProcesses: ids.filter((id) => elements.get(id)!.triggeredByEvent),
    reachable: scopeReachability(ids, elements, flows),
  });
}

/** The start form of a process is declared on its none start event. */
function startFormOf(startEvent: ModdleElement, ctx: CompileContext): ProcessModel['startForm'] {
  const { formKey, formFields } = camundaForm(startEvent);
  const key = zeebeFormKey(startEvent) ?? formKey;
  if (key === undefined && formFields.length === 0) return undefined;
  const link = zeebeFormLink(startEvent, ctx) ?? camundaFormLink(startEvent, ctx);
  if (link !== undefined) return { key: key ?? link.formId, fields: formFields, link };
  const embedded = zeebeEmbeddedForm(startEvent, ctx);
  return embedded?.formSchema === undefined
    ? { key: key ?? '', fields: formFields }
    : { key: key ?? '', fields: embedded.formFields, schema: embedded.formSchema };
}

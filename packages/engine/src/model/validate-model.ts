// Checks a compiled process as a whole: what it uses against what the interpreter runs
// (supported-elements.ts), and the graph: flows and attachments that point at the wrong thing, start
// events. Problems found while reading text (malformed XML, duplicate ids, references to nothing,
// expressions that do not parse, foreign script languages) are reported where the text is read.
import type { Problem } from '../errors.js';
import type { CompiledProcess } from './compile-process.js';
import { linkTargets } from './link-targets.js';
import type { FlowNode, ProcessModel, Scope } from './process-model.js';
import { isSupported } from './supported-elements.js';

const ACTIVITIES = new Set([
  'task', 'userTask', 'manualTask', 'scriptTask', 'serviceTask', 'sendTask', 'businessRuleTask', 'receiveTask', 'subProcess', 'transaction', 'callActivity',
]);

/** Where the checks put their problems, and how they name elements: "userTask 'Review'". */
interface Findings {
  report(elementId: string, message: string): void;
  label(id: string): string;
}

export function validateProcess({ model, records, flowScopes }: CompiledProcess): Problem[] {
  const problems: Problem[] = [];
  const findings: Findings = {
    report: (elementId, message) => problems.push({ element_id: elementId, message }),
    label: (id) => `${model.elements.get(id)?.kind ?? records.get(id)?.type ?? 'element'} '${id}'`,
  };
  const { report, label } = findings;

  for (const [id, record] of records) {
    for (const construct of record.constructs.filter((c) => !isSupported(c))) {
      report(id, `${label(id)}: ${construct.description} is not supported by this engine${construct.hint === undefined ? '' : `; ${construct.hint}`}`);
    }
  }

  for (const flow of model.flows.values()) {
    const flowLabel = `sequenceFlow '${flow.id}'`;
    for (const [end, verb] of [[flow.sourceRef, 'starts at'], [flow.targetRef, 'ends at']] as const) {
      // '' was reported while compiling; an element of an unsupported type is refused on its own
      if (end === '' || (records.has(end) && !model.elements.has(end))) continue;
      const node = model.elements.get(end);
      if (node === undefined) report(flow.id, `${flowLabel} ${verb} '${end}', which is not a flow node of process '${model.id}'`);
      else if (node.scopeId !== flowScopes.get(flow.id)) {
        report(flow.id, `${flowLabel} ${verb} ${label(end)}, which lies in another (sub-)process; sequence flows cannot cross a sub-process boundary`);
      }
    }
    const target = model.elements.get(flow.targetRef);
    if (target?.kind === 'startEvent' || target?.kind === 'boundaryEvent') {
      report(flow.id, `${flowLabel} leads into ${label(target.id)}, which cannot have incoming sequence flows`);
    }
    if (model.elements.get(flow.sourceRef)?.kind === 'endEvent') {
      report(flow.id, `${flowLabel} leaves ${label(flow.sourceRef)}; an end event cannot have outgoing sequence flows`);
    }
  }

  for (const node of model.elements.values()) {
    if (node.defaultFlow !== undefined && !node.outgoing.includes(node.defaultFlow)) {
      report(node.id, `${label(node.id)} names '${node.defaultFlow}' as its default flow, which is not one of its outgoing sequence flows`);
    }
    if (node.attachedTo !== undefined) checkAttachment(node, model, records, findings);
    if (node.kind === 'eventBasedGateway') checkEventGateway(node, model, findings);
    checkLink(node, model, findings);
    checkCompensation(node, model, findings);
    checkCancel(node, model, findings);
  }

  for (const scope of model.scopes.values()) checkStartEvents(scope, model, findings);
  return problems;
}

function checkAttachment(boundary: FlowNode, model: ProcessModel, records: CompiledProcess['records'], { report, label }: Findings): void {
  const target = boundary.attachedTo!;
  const activity = model.elements.get(target);
  if (activity === undefined && records.has(target)) return;
  if (activity === undefined || !ACTIVITIES.has(activity.kind)) {
    report(boundary.id, `${label(boundary.id)} is attached to '${target}', which is not an activity of process '${model.id}'`);
  } else if (activity.scopeId !== boundary.scopeId) {
    report(boundary.id, `${label(boundary.id)} is attached to ${label(target)} but lies in another (sub-)process`);
  }
}

/** A link throw event names exactly one link catch event of its scope and has no outgoing flow; a link catch event has no incoming one. */
function checkLink(node: FlowNode, model: ProcessModel, { report, label }: Findings): void {
  const link = node.eventDefinition;
  if (link.kind !== 'link') return;
  const scope = model.scopes.get(node.scopeId)!.children;
  if (node.kind === 'intermediateThrowEvent') {
    const targets = linkTargets(node, scope, model.elements);
    if (targets.length !== 1) {
      report(node.id, `${label(node.id)} throws link '${link.linkName}', which ${targets.length ? 'several link catch events' : 'no link catch event'} of its scope catch${targets.length ? '' : 'es'}`);
    }
    if (node.outgoing.length) report(node.id, `${label(node.id)} is a link throw event: it goes on at its link catch event, not by sequence flows`);
  } else if (node.kind === 'intermediateCatchEvent' && node.incoming.length) {
    report(node.id, `${label(node.id)} is a link catch event: it is reached from its link throw events, not by sequence flows`);
  }
}

/**
 * A compensation boundary event is associated with a handler (an activity with isForCompensation), one per
 * activity, and has no outgoing flow; a handler is reached by no flow and leaves by none; a throw names, if
 * anything, an activity of the scope it compensates (its own, or the one around its event sub-process).
 */
function checkCompensation(node: FlowNode, model: ProcessModel, { report, label }: Findings): void {
  const definition = node.eventDefinition;
  if (node.isForCompensation && (node.incoming.length || node.outgoing.length)) {
    report(node.id, `${label(node.id)} is a compensation handler (isForCompensation): compensation runs it, so no sequence flow may lead to it or leave it`);
  }
  if (definition.kind !== 'compensate') return;
  const activity = node.attachedTo === undefined ? undefined : model.elements.get(node.attachedTo);
  if (node.kind === 'boundaryEvent' && activity !== undefined) {
    const handler = activity.compensationHandler === undefined ? undefined : model.elements.get(activity.compensationHandler);
    if (node.outgoing.length) report(node.id, `${label(node.id)} is a compensation boundary event: it is associated with its handler, and has no outgoing sequence flow`);
    if (firstBoundary(activity, 'compensate', model) !== node.id) {
      report(node.id, `${label(node.id)} is a second compensation boundary event of ${label(activity.id)}; an activity has at most one`);
    } else if (handler === undefined) {
      report(node.id, `${label(node.id)} is associated with no compensation handler (an activity with isForCompensation="true")`);
    } else if (!handler.isForCompensation) {
      report(node.id, `${label(node.id)} is associated with ${label(handler.id)}, which is not a compensation handler (isForCompensation="true")`);
    }
  }
  if (definition.activityRef !== undefined && node.kind !== 'boundaryEvent') {
    const scope = model.elements.get(node.scopeId);
    const scopes = [node.scopeId, ...(scope?.triggeredByEvent ? [scope.scopeId] : [])];
    const target = model.elements.get(definition.activityRef);
    if (target === undefined || !ACTIVITIES.has(target.kind) || !scopes.includes(target.scopeId)) {
      report(node.id, `${label(node.id)} compensates '${definition.activityRef}', which is not an activity of the (sub-)process it compensates`);
    }
  }
}

/** A cancel end event lies directly in a transaction, which has one cancel boundary event to leave by; a cancel boundary event is a transaction's. */
function checkCancel(node: FlowNode, model: ProcessModel, { report, label }: Findings): void {
  if (node.eventDefinition.kind !== 'cancel') return;
  if (node.kind === 'endEvent') {
    const transaction = model.elements.get(node.scopeId);
    if (transaction?.kind !== 'transaction') report(node.id, `${label(node.id)} is a cancel end event; it belongs directly in a transaction`);
    else if (firstBoundary(transaction, 'cancel', model) === undefined) report(node.id, `${label(node.id)} cancels ${label(transaction.id)}, which has no cancel boundary event to leave by`);
  }
  const activity = node.attachedTo === undefined ? undefined : model.elements.get(node.attachedTo);
  if (activity === undefined) return;
  if (activity.kind !== 'transaction') report(node.id, `${label(node.id)} is a cancel boundary event; only a transaction has one`);
  else if (firstBoundary(activity, 'cancel', model) !== node.id) report(node.id, `${label(node.id)} is a second cancel boundary event of ${label(activity.id)}; a transaction has at most one`);
}

/** the first boundary event of the activity with an event definition of that kind */
function firstBoundary(activity: FlowNode, kind: FlowNode['eventDefinition']['kind'], model: ProcessModel): string | undefined {
  return activity.boundaryEvents.find((id) => model.elements.get(id)?.eventDefinition.kind === kind);
}

/**
 * After an event-based gateway come only the events it races: message, signal, timer or conditional catches
 * and receive tasks. The gateway never completes on its own (the event that occurs leaves in its place), so
 * there is nothing for an asynchronous continuation after it to continue: Camunda 7 refuses it too.
 */
function checkEventGateway(gateway: FlowNode, model: ProcessModel, { report, label }: Findings): void {
  if (gateway.asyncAfter) report(gateway.id, `${label(gateway.id)} is marked asyncAfter; an event-based gateway cannot continue asynchronously after itself`);
  for (const flowId of gateway.outgoing) {
    const target = model.elements.get(model.flows.get(flowId)!.targetRef);
    if (target === undefined) continue;
    const catches = target.kind === 'receiveTask'
      || (target.kind === 'intermediateCatchEvent' && ['message', 'signal', 'timer', 'conditional'].includes(target.eventDefinition.kind));
    if (!catches) report(gateway.id, `${label(gateway.id)} leads to ${label(target.id)}; an event-based gateway may only lead to message, signal, timer or conditional catch events and receive tasks`);
    else if (target.incoming.length > 1) report(target.id, `${label(target.id)} follows ${label(gateway.id)} and must have no other incoming sequence flow`);
  }
}

/** What only an event sub-process starts on. */
const EVENT_SUB_PROCESS_TRIGGERS: Partial<Record<string, { event: string; what: string }>> = {
  error: { event: 'an error', what: 'an error' },
  escalation: { event: 'an escalation', what: 'an escalation' },
};

/**
 * A process needs a start event; an embedded sub-process exactly one none start event; an event
 * sub-process exactly one start event, with an event definition.
 */
function checkStartEvents(scope: Scope, model: ProcessModel, { report, label }: Findings): void {
  const starts = scope.children.map((id) => model.elements.get(id)!).filter((node) => node.kind === 'startEvent');
  const noneStarts = starts.filter((node) => node.eventDefinition.kind === 'none');
  const owner = model.elements.get(scope.id);
  const scopeLabel = owner === undefined ? `process '${scope.id}'` : label(scope.id);
  if (owner === undefined) {
    if (starts.length === 0) report(scope.id, `${scopeLabel} has no start event`);
    for (const start of starts) {
      const trigger = EVENT_SUB_PROCESS_TRIGGERS[start.eventDefinition.kind];
      if (trigger) report(start.id, `${label(start.id)} is ${trigger.event} start event; only an event sub-process starts on ${trigger.what}`);
      checkStartName(start, report, label);
    }
  } else if (owner.triggeredByEvent) {
    if (starts.length !== 1 || noneStarts.length > 0) {
      report(scope.id, `The event sub-process ${scopeLabel} needs exactly one start event, with an event definition`);
    }
    for (const start of starts.filter((node) => node.eventDefinition.kind === 'error' && !node.isInterrupting)) {
      report(start.id, `${label(start.id)} is a non-interrupting error start event; an error start event always interrupts`);
    }
    return;
  } else {
    if (noneStarts.length === 0) report(scope.id, `${scopeLabel} has no none start event`);
    for (const start of starts.filter((node) => node.eventDefinition.kind !== 'none')) {
      report(start.id, `${label(start.id)} has a ${start.eventDefinition.kind} event definition; start events of an embedded sub-process have none`);
    }
  }
  for (const extra of noneStarts.slice(1)) {
    report(extra.id, `${label(extra.id)} is a second none start event in ${scopeLabel}; a scope has at most one`);
  }
}

/**
 * A process's message or signal start event listens from deployment on, before any variable exists, so its
 * name must be fixed text; Camunda 7 refuses an expression there too.
 */
function checkStartName(start: FlowNode, report: Findings['report'], label: Findings['label']): void {
  const definition = start.eventDefinition;
  const name = definition.kind === 'message' ? definition.messageName : definition.kind === 'signal' ? definition.signalName : undefined;
  if (name === undefined || name.literal !== undefined) return;
  report(start.id, `${label(start.id)} names its ${definition.kind} '${name.source}' with an expression; the ${definition.kind} of a process's start event must be fixed text`);
}

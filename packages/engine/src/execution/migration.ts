// Migrating a running instance to another process definition (most often the next version of its own), as
// Camunda 7 migrates one: every element the instance is at (its tokens and scopes, what it waits for, its
// tasks, jobs, incidents and open activity instances) maps to an element of the target of the same kind,
// within the target of the element's own scope; the instance's rows then name the target's elements and
// definition, and nothing runs. What listens around a migrated activity or scope follows the target: a
// boundary event or event sub-process the mapping leaves out stops listening, and one the target adds
// (no element of the source maps to it) starts listening (listenAfterMigration).
import type { FlowNode, ProcessModel } from '../model/index.js';
import type { DefinitionInfo, InstanceState, JobRow, SubscriptionRow } from './instance-state.js';
import { listenToAddedInScope } from '../behaviours/activities/event-sub-process.js';
import { definitionOf } from '../behaviours/event-definitions/event-definition.js';
import { chosenFlows } from './flow-selection.js';
import type { Transitions } from './transitions.js';

/** source element id → target element id */
export type MigrationMapping = ReadonlyMap<string, string>;

export interface MigrationProblem {
  activity_id: string | null;
  message: string;
}

/**
 * The mapping by id: each element of the source whose id the target has. One whose kind changed stays
 * mapped, so that an instance at it is refused for its kind, not for a mapping it was never given.
 */
export function equalElements(source: ProcessModel, target: ProcessModel): Map<string, string> {
  return new Map([...source.elements.keys()].filter((id) => target.elements.has(id)).map((id) => [id, id] as const));
}

/** the instructions Camunda's plan generator gives: each element whose id the target has with the same kind */
export function generatedPlan(source: ProcessModel, target: ProcessModel): Map<string, string> {
  return new Map([...equalElements(source, target)].filter(([id]) => sameKind(source.elements.get(id)!, target.elements.get(id)!)));
}

/**
 * What stands in the way of migrating the instance by the mapping; none: it can be migrated. `retrigger`:
 * the source events whose listeners take the target's trigger (update_event_trigger).
 */
export function migrationProblems(state: InstanceState, target: ProcessModel, mapping: MigrationMapping, retrigger: ReadonlySet<string>): MigrationProblem[] {
  const source = state.model;
  const problems: MigrationProblem[] = [];
  for (const id of retrigger) {
    const counterpart = target.elements.get(mapping.get(id) ?? '');
    if (counterpart && !waitsForTrigger(counterpart)) problems.push({ activity_id: id, message: `'${counterpart.id}' waits for no message, signal, timer or condition: it has no trigger to update` });
  }
  const scopeOf = (model: ProcessModel, node: FlowNode) => (node.scopeId === model.id ? null : node.scopeId);
  for (const id of elementsInUse(state, mapping)) {
    const node = source.elements.get(id);
    const mapped = mapping.get(id);
    const counterpart = mapped === undefined ? undefined : target.elements.get(mapped);
    if (!node) continue;
    if (mapped === undefined) problems.push({ activity_id: id, message: `The instance is at '${id}', which the migration maps to nothing` });
    else if (!counterpart) problems.push({ activity_id: id, message: `'${id}' maps to '${mapped}', which the target process does not have` });
    else if (!sameKind(node, counterpart)) {
      problems.push({ activity_id: id, message: `'${id}' (${kindOf(node)}) maps to '${mapped}' (${kindOf(counterpart)}): an element maps to one of its own kind` });
    } else {
      const sourceScope = scopeOf(source, node);
      const targetScope = scopeOf(target, counterpart);
      if ((sourceScope === null ? null : mapping.get(sourceScope) ?? '') !== targetScope) {
        problems.push({ activity_id: id, message: `'${id}' maps to '${mapped}', which is not in the target of its scope (${sourceScope ?? 'the process'})` });
      }
    }
  }
  for (const job of state.jobs.values()) {
    for (const flow of (job.type === 'async' ? chosenFlows(job.payload) : undefined) ?? []) {
      if (!target.flows.has(flow)) problems.push({ activity_id: job.activity_id, message: `A job at '${job.activity_id}' will take the flow '${flow}', which the target process does not have` });
    }
  }
  return problems;
}

/** what a migration leaves for the instance to listen to once it runs the target (listenAfterMigration) */
export interface MigratedListeners {
  /** the target's events that no source element maps to */
  added: Set<string>;
  /** the listeners of `retrigger` events, removed to listen again with the target's trigger */
  retriggered: { executionId: string; elementId: string }[];
}

/**
 * The instance's rows name the target's elements and definition, which it runs from now on; what listens
 * for an event the mapping leaves out stops, and so does what listens for an event of `retrigger`.
 */
export function migrateRows(
  state: InstanceState, target: { info: DefinitionInfo; model: ProcessModel }, mapping: MigrationMapping, retrigger: ReadonlySet<string>,
): MigratedListeners {
  const dropped = droppedListeners(state, mapping);
  const renewed = listenersOf(state, (activityId) => retrigger.has(activityId) && mapping.has(activityId));
  const retriggered = [...renewed.subscriptions, ...renewed.jobs].map((row) => ({ executionId: row.execution_id!, elementId: mapping.get(row.activity_id)! }));
  for (const s of [...dropped.subscriptions, ...renewed.subscriptions]) state.subscriptions.delete(s.id);
  for (const j of [...dropped.jobs, ...renewed.jobs]) state.jobs.delete(j.id);
  renameRows(state, target.info, mapping);
  state.moveTo(target.info, target.model);
  const mappedTo = new Set(mapping.values());
  return { added: new Set([...target.model.elements.keys()].filter((id) => !mappedTo.has(id))), retriggered };
}

function renameRows(state: InstanceState, target: DefinitionInfo, mapping: MigrationMapping): void {
  const to = (id: string) => mapping.get(id) ?? id;
  const { instance } = state;
  instance.process_definition_id = target.id;
  instance.process_definition_key = target.key;
  for (const e of state.executions.values()) if (e.activity_id) e.activity_id = to(e.activity_id);
  for (const s of state.subscriptions.values()) Object.assign(s, { activity_id: to(s.activity_id), process_definition_id: target.id });
  for (const j of state.jobs.values()) Object.assign(j, { activity_id: to(j.activity_id), process_definition_id: target.id, process_definition_key: target.key });
  for (const t of state.externalTasks.values()) Object.assign(t, { activity_id: to(t.activity_id), process_definition_id: target.id, process_definition_key: target.key });
  for (const t of state.tasks.values()) Object.assign(t, { task_definition_key: to(t.task_definition_key), process_definition_id: target.id, process_definition_key: target.key });
  for (const i of state.incidents.values()) Object.assign(i, { ...(i.activity_id ? { activity_id: to(i.activity_id) } : {}), process_definition_id: target.id });
  for (const a of state.activityInstances.values()) {
    if (a.end_time === null) Object.assign(a, { activity_id: to(a.activity_id), process_definition_id: target.id, process_definition_key: target.key });
  }
}

/**
 * After a migration: what listens with the target's trigger listens again; the boundary events of each
 * running activity, and the event sub-processes of each running scope, that the target added listen, as
 * Camunda 7 creates them. A token whose activity has not
 * begun or has ended (an asynchronous continuation before or after it) listens to nothing.
 */
export function listenAfterMigration(t: Transitions, { added, retriggered }: MigratedListeners): void {
  for (const { executionId, elementId } of retriggered) {
    const execution = t.state.executions.get(executionId);
    const event = t.model.elements.get(elementId)!;
    if (execution) definitionOf(event).listen?.(t, execution, event);
  }
  for (const execution of t.state.executions.filter((e) => e.state !== 'ended')) {
    const root = t.tree.isRoot(execution);
    if (root || execution.state === 'scope') listenToAddedInScope(t, execution, added);
    if (root || !execution.activity_id || t.state.jobs.find((j) => j.execution_id === execution.id && j.type === 'async')) continue;
    const node = t.node(execution);
    if (t.tree.loopRole(execution, node) !== 'inner') t.listenAtBoundaries(execution, node, added);
  }
}

/** the elements the instance is at: where its executions are, what waits for what, its open work and activities */
function elementsInUse(state: InstanceState, mapping: MigrationMapping): Set<string> {
  const dropped = droppedListeners(state, mapping);
  const droppedRows = new Set<object>([...dropped.subscriptions, ...dropped.jobs]);
  const ids = new Set<string>();
  for (const e of state.executions.values()) if (e.activity_id) ids.add(e.activity_id);
  for (const s of state.subscriptions.values()) if (!droppedRows.has(s)) ids.add(s.activity_id);
  for (const j of state.jobs.values()) if (!droppedRows.has(j)) ids.add(j.activity_id);
  for (const t of state.externalTasks.values()) ids.add(t.activity_id);
  for (const t of state.tasks.values()) ids.add(t.task_definition_key);
  for (const i of state.incidents.values()) if (i.activity_id) ids.add(i.activity_id);
  for (const a of state.activityInstances.values()) if (a.end_time === null) ids.add(a.activity_id);
  return ids;
}

/**
 * What listens, around an activity or in a scope, for an event that the mapping leaves out: the
 * subscriptions and timers of boundary events and of event sub-processes' start events, which a migration
 * removes as Camunda 7's does. A compensation subscription is no listener: it stands for an activity done.
 */
function droppedListeners(state: InstanceState, mapping: MigrationMapping): { subscriptions: SubscriptionRow[]; jobs: JobRow[] } {
  return listenersOf(state, (activityId) => !mapping.has(activityId) && isListener(state.model, activityId));
}

/** the subscriptions and timers that wait for an event of these elements (a compensation subscription waits for none) */
function listenersOf(state: InstanceState, at: (activityId: string) => boolean): { subscriptions: SubscriptionRow[]; jobs: JobRow[] } {
  return {
    subscriptions: state.subscriptions.filter((s) => s.event_type !== 'compensate' && at(s.activity_id)),
    jobs: state.jobs.filter((j) => j.type === 'timer' && at(j.activity_id)),
  };
}

/** an event (or receive task) that waits for a message, signal, timer or condition */
export const waitsForTrigger = (node: FlowNode): boolean => ['message', 'signal', 'timer', 'conditional'].includes(node.eventDefinition.kind);

function isListener(model: ProcessModel, elementId: string): boolean {
  const node = model.elements.get(elementId);
  return node?.kind === 'boundaryEvent' || (node?.kind === 'startEvent' && model.elements.get(node.scopeId)?.triggeredByEvent === true);
}

function sameKind(a: FlowNode, b: FlowNode): boolean {
  return kindOf(a) === kindOf(b);
}

/** an element's kind, with what makes its behaviour: its event definition, its loop, an event sub-process */
function kindOf(node: FlowNode): string {
  const loop = node.multiInstance ? (node.multiInstance.sequential ? ' sequential multi-instance' : ' parallel multi-instance') : node.standardLoop ? ' loop' : '';
  const event = node.kind.endsWith('Event') && node.eventDefinition.kind !== 'none' ? ` ${node.eventDefinition.kind}` : '';
  return `${node.kind}${event}${loop}${node.triggeredByEvent ? ' event sub-process' : ''}`;
}

// What a waiting token leaves for the outside world to act on: user tasks, external tasks, event
// subscriptions, incidents. Created when the token arrives, withdrawn when it is cancelled.
import { ExpressionError, type Expression } from '../expressions/index.js';
import type { FlowNode, UserTaskSpec } from '../model/index.js';
import { toProcessVariable, type TypedValue } from '../variables/variable-codec.js';
import { newId } from '../util/ids.js';
import { storableDate, storableInteger, storableText } from './storable-values.js';
import type { History } from './history.js';
import type { ExecutionRow, IncidentRow, InstanceState, JobRow, SubscriptionRow } from './instance-state.js';
import type { Variables } from './variables.js';
import { activeTraceparent } from '../observability/tracing.js';
import { TimerValueError } from '../timers/index.js';
import { addIsoDuration, parseIsoDuration } from '../timers/iso-duration.js';

/** what a compensate subscription keeps beside its activity (activity_id) and handler (event_name) */
interface CompensationConfiguration {
  /** when the activity completed, in the instance's sequence */
  readonly order: number;
  /** the sub-processes around the activity that have completed since, innermost first */
  readonly within: readonly string[];
}

export interface Compensation extends CompensationConfiguration {
  readonly subscription: SubscriptionRow;
}

const OPEN_TASK = new Set(['created', 'assigned', 'delegated']);
const DEFAULT_RETRIES = 3;

/** the retries a worker or job gets for an element: the model's number, else the default of API.md */
export const retriesOf = (node: FlowNode | undefined): number =>
  node?.externalTask?.retries ?? node?.httpConnector?.retries ?? node?.jobRetries?.retries ?? DEFAULT_RETRIES;

/** the element's camunda:failedJobRetryTimeCycle, if it has one */
export const retryCycleOf = (node: FlowNode | undefined): string | undefined =>
  node?.externalTask?.retryTimeCycle ?? node?.httpConnector?.retryTimeCycle ?? node?.jobRetries?.retryTimeCycle;

/** what a thrown signal carries (camunda:in): variables, and the business key of the instances it starts */
export interface CarriedBySignal {
  readonly variables: ReadonlyMap<string, TypedValue>;
  readonly businessKey?: string;
}

export class WorkItems {
  constructor(
    private readonly state: InstanceState, private readonly history: History, private readonly variables: Variables, private readonly now: () => Date,
  ) {}

  createUserTask(token: ExecutionRow, node: FlowNode, evaluate: (e: Expression) => unknown): void {
    const spec = node.userTask;
    const person = (expression: Expression, what: string) => (name: string) => storableText(name, `the ${what} of '${node.id}'`, expression);
    const assigneeName = spec?.assignee ? optionalString(evaluate(spec.assignee)) : null;
    const assignee = assigneeName === null ? null : person(spec!.assignee!, 'assignee')(assigneeName);
    // each name once, sorted: as the task answers them, and as migration 0015 wrote those of earlier tasks
    const candidates = (expressions: readonly Expression[] | undefined, what: string) =>
      [...new Set((expressions ?? []).flatMap((e) => names(evaluate(e)).map(person(e, what))))].sort();
    const candidateUsers = candidates(spec?.candidateUsers, 'candidate user');
    const candidateGroups = candidates(spec?.candidateGroups, 'candidate group');
    const now = this.now();
    const due = spec?.dueDate ? dateOf(evaluate(spec.dueDate), spec.dueDate, 'due date', node.id, now) : null;
    const followUp = spec?.followUpDate ? dateOf(evaluate(spec.followUpDate), spec.followUpDate, 'follow-up date', node.id, now) : null;
    const priority = spec?.priority ? priorityOf(evaluate(spec.priority), spec.priority, node.id) : 50;
    const formKey = formKeyOf(spec, evaluate, node.id);
    const instance = this.state.instance;
    const task = this.state.tasks.add({
      id: newId(), name: node.name || node.id, description: node.documentation ?? null,
      process_instance_id: instance.id, process_definition_id: this.state.definition.id,
      process_definition_key: this.state.definition.key, task_definition_key: node.id, execution_id: token.id,
      activity_instance_id: token.activity_instance_id, assignee, owner: null, delegation_state: null,
      status: assignee ? 'assigned' : 'created', created: now, end_time: null, completed_by: null, due, follow_up: followUp,
      priority, suspension_state: instance.suspension_state, tenant_id: instance.tenant_id, form_key: formKey,
      cam_form_ref: null, parent_task_id: null, case_execution_id: null, case_instance_id: null, case_definition_id: null,
      candidate_users: candidateUsers, candidate_groups: candidateGroups,
    });
    for (const user of candidateUsers) this.#link(task.id, { user_id: user });
    for (const group of candidateGroups) this.#link(task.id, { group_id: group });
    const activity = this.history.activity(token.activity_instance_id);
    if (activity) {
      activity.task_id = task.id;
      activity.assignee = assignee;
    }
    this.history.event('process_manager.task.created', {
      task_id: task.id, instance_id: instance.id, task_name: task.name, assignee: assignee ?? undefined,
      candidate_groups: candidateGroups, created_at: now.toISOString(),
    });
  }

  createExternalTask(token: ExecutionRow, node: FlowNode, evaluate: (e: Expression) => unknown): void {
    const spec = node.externalTask;
    if (!spec) throw new Error(`element ${node.id} has no topic: the validator should have refused it`);
    const topic = optionalString(evaluate(spec.topic));
    if (!topic) throw new ExpressionError(`the topic of '${node.id}' evaluated to nothing`, { expression: spec.topic.source });
    storableText(topic, `the topic of '${node.id}'`, spec.topic);
    const priorityExpression = spec.priority ?? this.state.model.taskPriority;
    const priority = priorityExpression ? taskPriorityOf(evaluate(priorityExpression), priorityExpression, node.id) : 0;
    const instance = this.state.instance;
    this.state.externalTasks.add({
      id: newId(), process_instance_id: instance.id, process_definition_id: this.state.definition.id,
      process_definition_key: this.state.definition.key, execution_id: token.id, activity_id: node.id,
      activity_instance_id: token.activity_instance_id, topic_name: topic, business_key: instance.business_key,
      tenant_id: instance.tenant_id, worker_id: null, lock_expiration_time: null, retries: retriesOf(node),
      error_message: null, error_details: null, priority, suspended: instance.suspension_state === 'suspended',
      created_at: this.now(),
    });
  }

  subscribe(token: ExecutionRow, node: FlowNode, eventType: 'message' | 'signal' | 'conditional', eventName: string): SubscriptionRow {
    return this.#subscribe(token, node.id, eventType, eventName, null);
  }

  #subscribe(execution: ExecutionRow, activityId: string, eventType: string, eventName: string, configuration: string | null): SubscriptionRow {
    return this.state.subscriptions.add({
      id: newId(), event_type: eventType, event_name: eventName, process_instance_id: this.state.instance.id,
      execution_id: execution.id, activity_id: activityId, process_definition_id: this.state.definition.id,
      tenant_id: this.state.instance.tenant_id, created_at: this.now(), configuration,
    });
  }

  /** the activity completed in the scope: until the scope ends, a throw there can have its handler compensate it */
  compensable(scope: ExecutionRow, activityId: string, handlerId: string): void {
    const configuration: CompensationConfiguration = { order: this.state.nextSeq(), within: [] };
    this.#subscribe(scope, activityId, 'compensate', handlerId, JSON.stringify(configuration));
  }

  /** what can be compensated in the scope, the activity that completed last first */
  compensations(scope: ExecutionRow): Compensation[] {
    return this.state.subscriptions.filter((s) => s.event_type === 'compensate' && s.execution_id === scope.id)
      .map((subscription) => ({ subscription, ...(JSON.parse(subscription.configuration!) as CompensationConfiguration) }))
      .sort((a, b) => b.order - a.order);
  }

  /**
   * The sub-process completed with no handler of its own: what can be compensated inside it can be from the
   * scope around it, by a throw there naming it or naming nothing. As in Camunda 7, each keeps a snapshot of
   * the sub-process's variables as they are now (an inner instance's element too), for its handler to see.
   */
  raiseCompensations(from: ExecutionRow, to: ExecutionRow, subProcessId: string): void {
    for (const { subscription, order, within } of this.compensations(from)) {
      this.variables.keepSnapshot(from.id, subscription.id);
      subscription.execution_id = to.id;
      subscription.configuration = JSON.stringify({ order, within: [...within, subProcessId] } satisfies CompensationConfiguration);
    }
  }

  /** the compensation starts its handler, which sees the variables the compensation kept as its own */
  startCompensation(compensation: SubscriptionRow, handler: ExecutionRow): void {
    this.unsubscribe(compensation);
    this.variables.moveLocals(compensation.id, handler.id);
  }

  /** the throw event waits for the handler it started: a subscription of the thrower's, naming the handler's execution */
  awaitHandler(thrower: ExecutionRow, handler: ExecutionRow): void {
    this.#subscribe(thrower, thrower.activity_id!, 'compensating', handler.id, null);
  }

  /** the handler's execution ended: the throw event that waited for it, once it waits for no other */
  handlerEnded(handler: ExecutionRow): ExecutionRow | undefined {
    const awaited = this.state.subscriptions.find((s) => s.event_type === 'compensating' && s.event_name === handler.id);
    if (!awaited) return undefined;
    this.unsubscribe(awaited);
    const stillAwaits = this.state.subscriptions.find((s) => s.event_type === 'compensating' && s.execution_id === awaited.execution_id);
    return stillAwaits ? undefined : this.state.executions.get(awaited.execution_id!);
  }

  /**
   * A thrown signal's delivery to the other instances and to signal start events: a job of no instance,
   * since it reaches other instances (each locked in turn) and must go out even if this one has ended
   * meanwhile. It is written with this instance's rows, which it passes over: the signal reached them
   * when it was thrown.
   */
  createSignalJob(node: FlowNode, signalName: string, carried: CarriedBySignal): void {
    const instance = this.state.instance;
    const variables = Object.fromEntries([...carried.variables].map(([name, value]) => [name, toProcessVariable(value)]));
    const payload = { signal_name: signalName, thrown_by: instance.id, variables, business_key: carried.businessKey };
    this.state.jobs.add({
      id: newId(), type: 'async', handler: 'signal-throw', process_instance_id: null, process_definition_id: this.state.definition.id,
      process_definition_key: this.state.definition.key, execution_id: null, activity_id: node.id, tenant_id: instance.tenant_id,
      due_at: this.now(), repeat: null, payload: JSON.stringify(payload), retries: retriesOf(node),
      lock_owner: null, lock_expires_at: null, exception_message: null, exception_stacktrace: null, suspended: false, created_at: this.now(),
      trace_parent: activeTraceparent(),
    });
  }

  /** the subscriptions waiting for a message or signal of that name, as they are now */
  subscriptionsTo(eventType: 'message' | 'signal', eventName: string): SubscriptionRow[] {
    return this.state.subscriptions.filter((s) => s.event_type === eventType && s.event_name === eventName && s.execution_id !== null);
  }

  /** the instance's executions' subscriptions of the type, as they are now */
  listening(eventType: 'conditional'): SubscriptionRow[] {
    return this.state.subscriptions.filter((s) => s.event_type === eventType && s.execution_id !== null);
  }

  isSubscribed(subscription: SubscriptionRow): boolean {
    return this.state.subscriptions.has(subscription.id);
  }

  unsubscribe(subscription: SubscriptionRow): void {
    this.state.subscriptions.delete(subscription.id);
  }

  /** a job for the token, at `activityId` (the element it runs for: the token's, or a boundary or catch event's) */
  createJob(token: ExecutionRow, activityId: string, job: Pick<JobRow, 'type' | 'handler' | 'due_at' | 'retries'> & Partial<Pick<JobRow, 'repeat' | 'payload'>>): JobRow {
    const instance = this.state.instance;
    return this.state.jobs.add({
      id: newId(), process_instance_id: instance.id, process_definition_id: this.state.definition.id,
      process_definition_key: this.state.definition.key, execution_id: token.id, activity_id: activityId,
      tenant_id: instance.tenant_id, repeat: null, payload: null, lock_owner: null, lock_expires_at: null,
      exception_message: null, exception_stacktrace: null, suspended: instance.suspension_state === 'suspended',
      created_at: this.now(), trace_parent: activeTraceparent(), ...job,
    });
  }

  /** withdraws everything the execution waits on; open tasks end as cancelled */
  cancel(execution: ExecutionRow): void {
    const now = this.now();
    for (const task of this.state.tasks.filter((t) => t.execution_id === execution.id && OPEN_TASK.has(t.status))) {
      task.status = 'cancelled';
      task.end_time = now;
    }
    for (const t of this.state.externalTasks.filter((x) => x.execution_id === execution.id)) this.state.externalTasks.delete(t.id);
    for (const s of this.state.subscriptions.filter((x) => x.execution_id === execution.id)) {
      this.state.subscriptions.delete(s.id);
      if (s.event_type === 'compensate') this.variables.deleteLocals(s.id);
    }
    for (const j of this.state.jobs.filter((x) => x.execution_id === execution.id)) this.state.jobs.delete(j.id);
    for (const incident of this.state.incidents.filter((i) => i.execution_id === execution.id && i.status === 'open')) {
      incident.status = 'deleted';
      this.history.incidentAction(incident.id, 'deleted', 'The execution the incident held was cancelled');
    }
  }

  /** the execution's subscriptions and timer jobs at these events end; its other work goes on */
  stopListening(execution: ExecutionRow, eventIds: ReadonlySet<string>): void {
    const listening = (x: { execution_id: string | null; activity_id: string }) => x.execution_id === execution.id && eventIds.has(x.activity_id);
    for (const s of this.state.subscriptions.filter(listening)) this.state.subscriptions.delete(s.id);
    for (const j of this.state.jobs.filter(listening)) this.state.jobs.delete(j.id);
  }

  openIncident(token: ExecutionRow, node: FlowNode, type: string, message: string, configuration: string | null): IncidentRow {
    const now = this.now();
    const incident = this.state.incidents.add({
      id: newId(), incident_timestamp: now, incident_type: type, execution_id: token.id, activity_id: node.id,
      activity_name: node.name || null, process_instance_id: this.state.instance.id,
      process_definition_id: this.state.definition.id, cause_incident_id: null, root_cause_incident_id: null,
      configuration, incident_message: message, tenant_id: this.state.instance.tenant_id, job_definition_id: null,
      annotation: null, assignee: null, status: 'open', resolved_at: null, resolved_by: null, resolution_type: null,
      resolution_message: null,
    });
    incident.root_cause_incident_id = incident.id;
    this.history.incidentAction(incident.id, 'created', message);
    this.history.event('process_manager.incident.created', {
      incident_id: incident.id, instance_id: this.state.instance.id, incident_type: type, activity_id: node.id, message,
    });
    return incident;
  }

  #link(taskId: string, who: { user_id?: string; group_id?: string }) {
    this.state.identityLinks.add({
      id: newId(), task_id: taskId, type: 'candidate', group_id: who.group_id ?? null, user_id: who.user_id ?? null,
      tenant_id: this.state.instance.tenant_id,
    });
  }
}

const optionalString = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

/** candidate lists may be a comma list or a FEEL list */
const names = (v: unknown): string[] =>
  (Array.isArray(v) ? v.map(String) : v === null || v === undefined ? [] : String(v).split(','))
    .map((s) => s.trim()).filter(Boolean);

/** the form key of a new task: as written, or what its `${…}` gives (null for nothing) */
function formKeyOf(spec: UserTaskSpec | undefined, evaluate: (e: Expression) => unknown, elementId: string): string | null {
  const expression = spec?.formKeyExpression;
  if (!expression) return spec?.formKey ?? null;
  const key = optionalString(evaluate(expression));
  return key === null ? null : storableText(key, `the form key of '${elementId}'`, expression);
}

/** a date, or, as Camunda 7's due date calendar reads text starting with P, an ISO 8601 duration from now */
function dateFrom(v: unknown, now: Date): Date | undefined {
  if (v instanceof Date) return v;
  const text = String(v);
  if (!text.startsWith('P')) return new Date(text);
  try {
    return addIsoDuration(now, parseIsoDuration(text, 'duration'));
  } catch (e) {
    if (e instanceof TimerValueError) return undefined;
    throw e;
  }
}

function dateOf(v: unknown, expression: Expression, what: string, elementId: string, now: Date): Date | null {
  if (v === null || v === undefined || v === '') return null;
  const d = dateFrom(v, now);
  if (d === undefined || Number.isNaN(d.getTime())) {
    throw new ExpressionError(`the ${what} of '${elementId}' is not a date or a duration: ${JSON.stringify(v)}`, { expression: expression.source });
  }
  return storableDate(d, `the ${what} of '${elementId}'`, expression);
}

/** as Camunda 7, an external task's priority must be a number: a text that reads as one is not taken */
function taskPriorityOf(v: unknown, expression: Expression, elementId: string): number {
  const n = typeof v === 'number' ? v : expression.literal !== undefined ? Number(expression.literal) : Number.NaN;
  return storableInteger(n, `the task priority of '${elementId}'`, expression);
}

function priorityOf(v: unknown, expression: Expression, elementId: string): number {
  const n = typeof v === 'number' ? v : Number(v);
  return storableInteger(n, `the priority of '${elementId}'`, expression);
}

// The engine's public API: what the REST server calls and what another Node service embeds.
// Inputs are the API.md request bodies (snake_case); results are the wire types. Every method that
// changes state is one command: one transaction, committed before the promise resolves.
import type { Caller } from '../access/caller.js';
import type {
  DeploymentResult, Job, ExternalTask, Incident, LockedExternalTask, MessageCorrelationResult, Page,
  ProcessDefinition, ProcessInstance, ProcessInstanceDetails, ProcessVariable, ResolutionType, TaskDetails,
  Task, TaskStatus, VariablesInput, VariableUpdate, ProcessInstanceStatus,
} from './types.js';
import type {
  DecisionDefinition, DecisionDeploymentResult, DecisionEvaluation, DecisionInstance, DecisionInstanceQuery, DecisionQuery,
  DeployDecisionsInput, EvaluateDecisionInput,
} from './decision-types.js';
import type { EventQuery, EventSinkStatus, PublishedEvent } from './events.js';
import type { HandleOptions, ServiceHandler } from './handlers.js';
import type { MigrateInstancesInput, MigrationPlan, MigrationResult, ModifyInstanceInput } from './instance-changes.js';
import type { IdempotencyClaim } from '../commands/idempotency-claim.js';
import type { EngineGauges } from './observer.js';
import type { ExternalTaskQuery, FetchAndLockInput } from './external-task-inputs.js';
import type { IncidentQuery, JobQuery } from './job-and-incident-queries.js';
import type { ActivityStatistics, DefinitionStatistics, StatisticsCounts } from './definition-statistics.js';
import type { AuditEntryQuery, ListedAuditEntry } from './audit-queries.js';
import type { Deployment, DeploymentDetails, DeploymentQuery, DeploymentResourceContent } from './deployments.js';
export type { IdempotencyClaim } from '../commands/idempotency-claim.js';
export type { EncryptionKey } from '../protection/encryption-keys.js';
export type { VariableProtectionOptions } from '../protection/variable-protection.js';
export type * from './deployments.js';
export type * from './engine-options.js';
export type * from './external-task-inputs.js';
export type * from './job-and-incident-queries.js';
export type * from './definition-statistics.js';
export type * from './audit-queries.js';
export type * from './events.js';
export type * from './observer.js';

/** the answer of a POST, kept under its Idempotency-Key */
export interface IdempotentAnswer {
  request_hash: string;
  status_code: number;
  /** the body as sent ('' for none) */
  response: string;
}

export interface PageQuery {
  limit?: number;
  offset?: number;
  /** `field` ascending or `-field` descending */
  sort?: string;
}

export interface DeployInput {
  bpmn_xml: string;
  /**
   * form-js JSON files deployed with the model, each a version of its `id`, which a user task or start
   * event links to by zeebe:formDefinition formId or camunda:formRef
   */
  forms?: string[];
  /** DMN files deployed with the model, whose decisions its business rule tasks may bind to by deployment */
  decisions?: string[];
  name?: string;
  category?: string;
  description?: string;
  tenant_id?: string;
  deployed_by?: string;
  source?: string;
}

export interface DefinitionQuery extends PageQuery {
  key?: string;
  latest?: boolean;
  category?: string;
  suspended?: boolean;
  tenant_id?: string;
  name?: string;
}

export interface StartInstanceInput {
  process_definition_key?: string;
  process_definition_id?: string;
  business_key?: string;
  variables?: VariablesInput;
  tenant_id?: string;
  started_by?: string;
}

export interface InstanceQuery extends PageQuery {
  /** a page's `next_cursor`: the page after it, in the same sort (keyset pagination; `offset` stays 0) */
  cursor?: string;
  status?: ProcessInstanceStatus;
  process_definition_key?: string;
  process_definition_id?: string;
  business_key?: string;
  tenant_id?: string;
  started_after?: string;
  started_before?: string;
  super_instance_id?: string;
}

export interface TaskQuery extends PageQuery {
  assignee?: string;
  candidate_user?: string;
  candidate_group?: string;
  unassigned?: boolean;
  process_instance_id?: string;
  process_definition_key?: string;
  task_definition_key?: string;
  /** open tasks (not completed or cancelled) when left out */
  status?: TaskStatus;
  due_before?: string;
  tenant_id?: string;
}

export interface CorrelateMessageInput {
  message_name: string;
  business_key?: string;
  process_instance_id?: string;
  correlation_keys?: Record<string, unknown>;
  tenant_id?: string;
  variables?: VariablesInput;
  all?: boolean;
}

export interface EvaluateConditionsInput {
  variables?: VariablesInput;
  business_key?: string;
  /** only the definitions of this tenant */
  tenant_id?: string;
  /** only this definition */
  process_definition_id?: string;
  started_by?: string;
}

export interface SignalInput {
  signal_name: string;
  variables?: VariablesInput;
  tenant_id?: string;
}

export interface ResolveIncidentInput {
  resolution_type: Extract<ResolutionType, 'retry' | 'skip' | 'manual' | 'abort'>;
  resolution_message?: string;
  resolved_by?: string;
  variables?: VariablesInput;
}

export interface CleanupOptions {
  /** root instances per transaction (default: `retention.cleanupBatchSize`, 100) */
  batchSize?: number;
  /** stop after this many batches even if more are due (default: until none is due) */
  maxBatches?: number;
}

export interface CleanupResult {
  /** instances removed, called instances included */
  removed: number;
  /** decision evaluations made through the API removed (a business rule task's go with its instance) */
  decision_instances_removed: number;
  /** transactions that removed something */
  batches: number;
}

export interface StatisticsQuery {
  from?: string;
  to?: string;
  process_definition_key?: string;
}

/**
 * A transaction of the embedding service's own postgres.js client on the engine's database: the `sql` that
 * `sql.begin(async (sql) => …)` hands to its callback. The client must keep postgres.js's default handling
 * of values and column names (no `transform`). Only what the engine uses of it is named here, so that the
 * engine's types do not need postgres.js.
 */
export interface PostgresTransaction {
  unsafe(query: string, parameters?: never[], options?: { prepare?: boolean }): PromiseLike<unknown>;
}

/** what an engine can do inside a caller's transaction (Engine.withTransaction) */
export const TRANSACTIONAL_METHODS = [
  'startInstance', 'getInstance', 'listInstances', 'terminateInstance', 'setInstanceSuspended', 'getVariables', 'updateVariables',
  'listTasks', 'getTask', 'claimTask', 'unclaimTask', 'assignTask', 'delegateTask', 'resolveTask', 'completeTask',
  'completeExternalTask', 'failExternalTask', 'bpmnErrorExternalTask', 'correlateMessage', 'broadcastSignal',
] as const;

/**
 * The engine inside a caller's transaction: instance, task and message commands, which change nothing
 * until the caller commits, and reads that see what the transaction wrote so far.
 */
export type TransactionalEngine = Pick<Engine, (typeof TRANSACTIONAL_METHODS)[number]>;

export interface Engine {
  /**
   * The same engine acting for a caller: lists, reads and commands reach only the resources of its
   * tenants (and of no tenant), a plain user only its own tasks and instances; what it does is recorded
   * as done by it, and naming another user (started_by, user_id …) is FORBIDDEN unless it is `admin`.
   * The engine returned by createEngine has no caller and is unrestricted.
   */
  as(caller: Caller): Engine;

  /**
   * Runs `work` with the engine inside the caller's own PostgreSQL transaction (`transaction`), so that a
   * service's own writes and the instances it starts or the tasks it completes commit together, or not at
   * all. Each command runs under a savepoint of that transaction: one that fails is undone alone and
   * rejects, and the transaction goes on. Jobs, handler work and events of these commands are handed out
   * once the caller commits, never before; nothing of them remains when it rolls back. Commands on an
   * instance the transaction changed wait, in other connections, until it ends. PostgreSQL only (the
   * embedded PGlite belongs to the engine alone): UNAVAILABLE on PGlite.
   */
  withTransaction<T>(transaction: PostgresTransaction, work: (engine: TransactionalEngine) => Promise<T>): Promise<T>;

  // definitions
  deploy(input: DeployInput): Promise<DeploymentResult>;
  listDefinitions(query?: DefinitionQuery): Promise<Page<ProcessDefinition>>;
  /** with bpmn_xml, tasks and start_form */
  getDefinition(id: string): Promise<ProcessDefinition>;
  updateDefinition(id: string, patch: { name?: string; category?: string; description?: string }): Promise<ProcessDefinition>;
  deleteDefinition(id: string, options?: { cascade?: boolean }): Promise<void>;
  setDefinitionSuspended(id: string, suspended: boolean, options?: { include_instances?: boolean }): Promise<ProcessDefinition>;

  // deployments: what one deploy or deployDecisions made, as a whole
  /** the deployments of the caller's tenants and of none */
  listDeployments(query?: DeploymentQuery): Promise<Page<Deployment>>;
  /** with the files it holds; NOT_FOUND for an unknown id */
  getDeployment(id: string): Promise<DeploymentDetails>;
  /** one file of the deployment with its content as deployed; NOT_FOUND when the deployment does not hold it */
  getDeploymentResource(deploymentId: string, resourceId: string): Promise<DeploymentResourceContent>;
  /**
   * Deletes the deployment and all it holds in one transaction, or nothing: each process definition as
   * deleteDefinition deletes one, its decisions and its forms. A definition with instances (running or
   * ended) or a decision with evaluations in its history is a CONFLICT unless `cascade`, which deletes them
   * too; so is a form that a definition of another deployment links to, cascade or not.
   */
  deleteDeployment(id: string, options?: { cascade?: boolean }): Promise<void>;

  // decisions
  /** each decision of the DMN file becomes the next version of its key, unless the file is already its latest */
  deployDecisions(input: DeployDecisionsInput): Promise<DecisionDeploymentResult>;
  listDecisions(query?: DecisionQuery): Promise<Page<DecisionDefinition>>;
  /** with dmn_xml and what the decision holds */
  getDecision(id: string): Promise<DecisionDefinition>;
  /** evaluates a deployed decision with the variables given; a decision that cannot be evaluated is a VALIDATION_ERROR naming why */
  evaluateDecision(input: EvaluateDecisionInput): Promise<DecisionEvaluation>;
  /** the decision history (history level full), newest first; for callers who read all work */
  listDecisionInstances(query?: DecisionInstanceQuery): Promise<Page<DecisionInstance>>;
  getDecisionInstance(id: string): Promise<DecisionInstance>;

  // instances
  startInstance(input: StartInstanceInput): Promise<ProcessInstance>;
  /** starts an instance at each conditional start event (of the latest versions) whose condition holds for the variables */
  startOnCondition(input: EvaluateConditionsInput): Promise<ProcessInstance[]>;
  listInstances(query?: InstanceQuery): Promise<Page<ProcessInstance>>;
  getInstance(id: string): Promise<ProcessInstanceDetails>;
  terminateInstance(id: string, options?: { reason?: string; user_id?: string }): Promise<ProcessInstance>;
  /** process instance modification: tokens started before or after activities or on flows, activity instances cancelled */
  modifyInstance(id: string, input: ModifyInstanceInput): Promise<ProcessInstance>;
  /** running instances moved to another definition in one transaction: all of them, or none with every problem named */
  migrateInstances(input: MigrateInstancesInput): Promise<MigrationResult>;
  /** the instructions mapping each element of the source to the target's element of the same id and kind */
  migrationPlan(sourceDefinitionId: string, targetDefinitionId: string, options?: { update_event_triggers?: boolean }): Promise<MigrationPlan>;
  setInstanceSuspended(id: string, suspended: boolean, options?: { user_id?: string }): Promise<ProcessInstance>;
  /**
   * Erases an ended instance, the instances it called and everything of theirs (variables, history,
   * audit, tasks, incidents, jobs, outbox events). NOT_FOUND for an unknown id; CONFLICT while the
   * instance runs, or while the tree it was called in runs.
   */
  eraseInstanceHistory(id: string): Promise<void>;
  /**
   * Removes the ended root instances whose removal time has passed, with what they called, a batch of
   * roots per transaction; the engine also does this every `retention.cleanupIntervalMs`.
   */
  removeExpiredHistory(options?: CleanupOptions): Promise<CleanupResult>;
  getVariables(instanceId: string): Promise<Record<string, ProcessVariable>>;
  updateVariables(instanceId: string, updates: VariableUpdate[], options?: { user_id?: string }): Promise<Record<string, ProcessVariable>>;
  /** the instance's own variables of these names removed; NOT_FOUND for a name it does not have */
  removeVariables(instanceId: string, names: string[], options?: { user_id?: string }): Promise<Record<string, ProcessVariable>>;

  // user tasks
  listTasks(query?: TaskQuery): Promise<Page<Task>>;
  getTask(id: string): Promise<TaskDetails>;
  claimTask(id: string, userId: string): Promise<TaskDetails>;
  unclaimTask(id: string, options?: { user_id?: string }): Promise<TaskDetails>;
  assignTask(id: string, userId: string | null, options?: { user_id?: string }): Promise<TaskDetails>;
  delegateTask(id: string, userId: string, options?: { user_id?: string }): Promise<TaskDetails>;
  resolveTask(id: string, input?: { variables?: VariablesInput; user_id?: string }): Promise<TaskDetails>;
  completeTask(id: string, input?: { variables?: VariablesInput; user_id?: string }): Promise<TaskDetails>;

  // external tasks
  fetchAndLock(input: FetchAndLockInput): Promise<LockedExternalTask[]>;
  listExternalTasks(query?: ExternalTaskQuery): Promise<Page<ExternalTask>>;
  completeExternalTask(id: string, input: { worker_id: string; variables?: VariablesInput }): Promise<void>;
  failExternalTask(id: string, input: { worker_id: string; error_message: string; error_details?: string; retries: number; retry_timeout?: number }): Promise<void>;
  bpmnErrorExternalTask(id: string, input: { worker_id: string; error_code: string; error_message?: string; variables?: VariablesInput }): Promise<void>;
  extendExternalTaskLock(id: string, input: { worker_id: string; new_duration: number }): Promise<void>;
  getExternalTask(id: string): Promise<ExternalTask>;
  /** locks the task by its id until now + lock_duration ms; another worker's lock that has not expired is a CONFLICT */
  lockExternalTask(id: string, input: { worker_id: string; lock_duration: number }): Promise<void>;
  /** whoever holds the lock: it is released, and the next fetch may take the task at once */
  unlockExternalTask(id: string, options?: { user_id?: string }): Promise<void>;
  /** new retries: 0 opens the failedExternalTask incident a failure with none left opens, more resolves it */
  setExternalTaskRetries(id: string, retries: number, options?: { user_id?: string }): Promise<void>;

  /** works a topic's service tasks in this process, as long as the engine is open */
  handle(topic: string, handler: ServiceHandler, options?: HandleOptions): void;

  // jobs: timers, async continuations, engine-run service calls
  listJobs(query?: JobQuery): Promise<Page<Job>>;
  getJob(id: string): Promise<Job>;
  /** runs the job now, whatever its due time; CONFLICT while its instance is suspended */
  executeJob(id: string): Promise<void>;
  /** new retries; from 0 to more, a failed job runs again and its failedJob incident is resolved */
  setJobRetries(id: string, retries: number): Promise<Job>;
  /** a new due time (null: now) that the job is dispatched for again; it does not run at its old one. Audited as SetJobDuedate */
  setJobDueDate(id: string, due: string | null, options?: { user_id?: string }): Promise<Job>;

  // messages and signals
  correlateMessage(input: CorrelateMessageInput): Promise<MessageCorrelationResult[]>;
  broadcastSignal(input: SignalInput): Promise<MessageCorrelationResult[]>;

  // incidents
  listIncidents(query?: IncidentQuery): Promise<Page<Incident>>;
  getIncident(id: string): Promise<Incident>;
  resolveIncident(id: string, input: ResolveIncidentInput): Promise<Incident>;
  escalateIncident(id: string, input: { message?: string; assignee?: string; user_id?: string }): Promise<Incident>;
  /** the note on an open incident, replaced; null removes it. CONFLICT once the incident is no longer open */
  setIncidentAnnotation(id: string, annotation: string | null, options?: { user_id?: string }): Promise<Incident>;

  // the audit log
  /** what was done to the instances and definitions the caller may see; empty below history level `audit` */
  listAuditEntries(query?: AuditEntryQuery): Promise<Page<ListedAuditEntry>>;

  // analytics (seed models ProcessStatistics etc.)
  statistics(query?: StatisticsQuery): Promise<unknown>;
  taskStatistics(query?: StatisticsQuery): Promise<unknown>;
  performance(query?: StatisticsQuery): Promise<unknown>;
  bottlenecks(query?: StatisticsQuery): Promise<unknown>;
  /** Camunda's process definition statistics: every version the caller sees, running or not, with its counts */
  definitionStatistics(options?: StatisticsCounts): Promise<DefinitionStatistics[]>;
  /** Camunda's activity statistics of a version; NOT_FOUND for a definition the caller does not see */
  activityStatistics(definitionId: string, options?: StatisticsCounts): Promise<ActivityStatistics[]>;

  /**
   * One pass of what the background does after the first encryption key changed: every value still
   * encrypted under an older key is encrypted again under the first. Answers how many were; 0 once none
   * is left, when an older key may be removed. 0 without variable protection.
   */
  rotateEncryptionKeys(): Promise<number>;

  /**
   * An event (or any object with a `variables` map) as it may be published or logged: each protected
   * variable's value replaced by `***`. Events are stored masked already; a relay masks again what it
   * publishes, for events stored before a name became protected. The event itself when nothing is protected.
   */
  maskEvent<E extends Record<string, unknown>>(event: E): E;

  /**
   * The same engine, whose next command takes `claim.key` in its transaction: the key and the command's
   * effects commit together, and `claim.taken` is then set. A key another request took first (on any
   * process sharing the database) makes the command change nothing and throw IdempotencyKeyTaken.
   */
  idempotent(claim: IdempotencyClaim): Engine;
  /**
   * What is kept for an Idempotency-Key, if it was seen. `status_code` is 0 (ANSWER_PENDING) from the commit
   * of the command that took the key until its answer is remembered; it stays 0 if its process stopped in between.
   */
  recallIdempotent(key: string): Promise<(IdempotentAnswer & { created_at: Date }) | undefined>;
  /** keeps the answer of a request: fills the row its command took, or adds one for a request that took none */
  rememberIdempotent(key: string, record: IdempotentAnswer): Promise<void>;

  // events (API.md "Events"): published after commit, in commit order
  /** the kept events after `after`, oldest first */
  listEvents(query?: EventQuery): Promise<Page<PublishedEvent>>;
  /**
   * the id of the newest event, '0' when there is none: every command committed before the call has its
   * events at or before it, so a reader that starts after it misses nothing from then on
   */
  lastEventId(): Promise<string>;
  /** hears every event committed from now on, in batches, in commit order; call the answer to stop */
  subscribeEvents(listener: (events: PublishedEvent[]) => void): () => void;
  /** each configured sink (`redis`, `event_manager`) and its backlog */
  eventSinks(): Promise<Record<string, EventSinkStatus>>;

  /** the workload and the sinks' backlogs, read now, for instrumentation (the server's /metrics) */
  gauges(): Promise<EngineGauges>;
    /** counts for /health; throws UNAVAILABLE when the database cannot be reached */
  health(): Promise<{ database: 'healthy' | 'unhealthy'; active_instances: number; pending_tasks: number; open_incidents: number }>;
  /**
   * Stops taking work, lets the work under way end (for `closeTimeoutMs` at most), and closes the
   * database and Redis; calling it again answers the same close
   */
  close(): Promise<void>;
}

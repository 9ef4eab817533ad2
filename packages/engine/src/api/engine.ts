// The engine's public API: what the REST server calls and what another Node service embeds.
// Inputs are the API.md request bodies (snake_case); results are the wire types. Every method that
// changes state is one command: one transaction, committed before the promise resolves.
import type { Caller } from '../access/caller.js';
import type {
  DeploymentResult, Job, ExternalTask, Incident, LockedExternalTask, MessageCorrelationResult, Page,
  ProcessDefinition, ProcessInstance, ProcessInstanceDetails, ProcessVariable, ResolutionType, TaskDetails,
  Task, TaskStatus, VariablesInput, VariableUpdate, ProcessInstanceStatus, IncidentStatus, IncidentType,
} from './types.js';
import type { VariableProtectionOptions } from '../protection/variable-protection.js';
export type { EncryptionKey } from '../protection/encryption-keys.js';
export type { VariableProtectionOptions } from '../protection/variable-protection.js';

export interface PageQuery {
  limit?: number;
  offset?: number;
  /** `field` ascending or `-field` descending */
  sort?: string;
}

export interface DeployInput {
  bpmn_xml: string;
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

export interface FetchAndLockInput {
  worker_id: string;
  max_tasks: number;
  topics: {
    topic_name: string;
    lock_duration: number;
    business_key?: string;
    process_instance_id?: string;
    process_definition_key?: string;
    tenant_ids?: string[];
    variables?: string[];
  }[];
}

export interface ExternalTaskQuery extends PageQuery {
  topic_name?: string;
  locked?: boolean;
  process_instance_id?: string;
  activity_id?: string;
}

export interface JobQuery extends PageQuery {
  process_instance_id?: string;
  type?: Job['type'];
  /** true: only jobs whose retries are exhausted (they hold a failedJob incident) */
  failed?: boolean;
  activity_id?: string;
}

/**
 * An in-process worker for a service-task topic. It gets the task locked for it, with its variables;
 * what it returns becomes process variables. Throwing a BpmnError raises that error at the task; any
 * other error counts as a failed attempt (retries with backoff, then a failedExternalTask incident).
 */
export type ServiceHandler = (task: LockedExternalTask, context: HandlerContext) =>
  Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

export interface HandlerContext {
  /**
   * Aborted when the engine, closing, stops waiting for its handlers (`closeTimeoutMs`): what the
   * handler returns afterwards is not reported, and the task is worked again once its lock expires.
   */
  signal: AbortSignal;
}

export interface HandleOptions {
  /** ms a task stays locked for this handler (default 60,000) */
  lock_duration?: number;
  /** tasks of this topic worked at once in this process (default 10) */
  concurrency?: number;
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

export interface SignalInput {
  signal_name: string;
  variables?: VariablesInput;
  tenant_id?: string;
}

export interface IncidentQuery extends PageQuery {
  status?: IncidentStatus;
  incident_type?: IncidentType;
  process_instance_id?: string;
  process_definition_id?: string;
  activity_id?: string;
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
  /** transactions that removed something */
  batches: number;
}

export interface StatisticsQuery {
  from?: string;
  to?: string;
  process_definition_key?: string;
}

export interface Engine {
  /**
   * The same engine acting for a caller: lists, reads and commands reach only the resources of its
   * tenants (and of no tenant), a plain user only its own tasks and instances; what it does is recorded
   * as done by it, and naming another user (started_by, user_id …) is FORBIDDEN unless it is `admin`.
   * The engine returned by createEngine has no caller and is unrestricted.
   */
  as(caller: Caller): Engine;

  // definitions
  deploy(input: DeployInput): Promise<DeploymentResult>;
  listDefinitions(query?: DefinitionQuery): Promise<Page<ProcessDefinition>>;
  /** with bpmn_xml, tasks and start_form */
  getDefinition(id: string): Promise<ProcessDefinition>;
  updateDefinition(id: string, patch: { name?: string; category?: string; description?: string }): Promise<ProcessDefinition>;
  deleteDefinition(id: string, options?: { cascade?: boolean }): Promise<void>;
  setDefinitionSuspended(id: string, suspended: boolean, options?: { include_instances?: boolean }): Promise<ProcessDefinition>;

  // instances
  startInstance(input: StartInstanceInput): Promise<ProcessInstance>;
  listInstances(query?: InstanceQuery): Promise<Page<ProcessInstance>>;
  getInstance(id: string): Promise<ProcessInstanceDetails>;
  terminateInstance(id: string, options?: { reason?: string; user_id?: string }): Promise<ProcessInstance>;
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

  /** works a topic's service tasks in this process, as long as the engine is open */
  handle(topic: string, handler: ServiceHandler, options?: HandleOptions): void;

  // jobs: timers, async continuations, engine-run service calls
  listJobs(query?: JobQuery): Promise<Page<Job>>;
  getJob(id: string): Promise<Job>;
  /** runs the job now, whatever its due time; CONFLICT while its instance is suspended */
  executeJob(id: string): Promise<void>;
  /** new retries; from 0 to more, a failed job runs again and its failedJob incident is resolved */
  setJobRetries(id: string, retries: number): Promise<Job>;

  // messages and signals
  correlateMessage(input: CorrelateMessageInput): Promise<MessageCorrelationResult[]>;
  broadcastSignal(input: SignalInput): Promise<MessageCorrelationResult[]>;

  // incidents
  listIncidents(query?: IncidentQuery): Promise<Page<Incident>>;
  getIncident(id: string): Promise<Incident>;
  resolveIncident(id: string, input: ResolveIncidentInput): Promise<Incident>;
  escalateIncident(id: string, input: { message?: string; assignee?: string; user_id?: string }): Promise<Incident>;

  // analytics (seed models ProcessStatistics etc.)
  statistics(query?: StatisticsQuery): Promise<unknown>;
  taskStatistics(query?: StatisticsQuery): Promise<unknown>;
  performance(query?: StatisticsQuery): Promise<unknown>;
  bottlenecks(query?: StatisticsQuery): Promise<unknown>;

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

  /** the stored answer of a POST sent with an Idempotency-Key header, if the key was seen */
  recallIdempotent(key: string): Promise<{ request_hash: string; status_code: number; response: string } | undefined>;
  rememberIdempotent(key: string, record: { request_hash: string; status_code: number; response: string }): Promise<void>;

  // events (API.md "Events"): published after commit, in commit order
  /** the kept events after `after`, oldest first */
  listEvents(query?: EventQuery): Promise<Page<PublishedEvent>>;
  /** hears every event committed from now on, in batches, in commit order; call the answer to stop */
  subscribeEvents(listener: (events: PublishedEvent[]) => void): () => void;
  /** each configured sink (`redis`, `event_manager`) and its backlog */
  eventSinks(): Promise<Record<string, EventSinkStatus>>;

  /** counts for /health; throws UNAVAILABLE when the database cannot be reached */
  health(): Promise<{ database: 'healthy' | 'unhealthy'; active_instances: number; pending_tasks: number; open_incidents: number }>;
  /**
   * Stops taking work, lets the work under way end (for `closeTimeoutMs` at most), and closes the
   * database and Redis; calling it again answers the same close
   */
  close(): Promise<void>;
}

export interface JobExecutorOptions {
  /** false: this engine writes jobs but runs none (a process that only serves the API) */
  run?: boolean;
  /** jobs run at once by this process (default 50 on PostgreSQL, 4 on PGlite) */
  concurrency?: number;
  /** ms between sweeps for due jobs nobody has dispatched or whose lock expired (default 1,000) */
  sweepIntervalMs?: number;
  /** ms a job stays locked while it runs (default 60,000) */
  lockDurationMs?: number;
  /** ms before the first retry of a failed job without a retry cycle; doubles each time (default 10,000) */
  retryBackoffMs?: number;
  /** BullMQ queue name prefix (default 'dadms') */
  queuePrefix?: string;
}

export type HistoryLevel = 'none' | 'activity' | 'audit' | 'full';

/**
 * How long ended instances are kept. A root instance's removal time is its end plus its process's
 * camunda:historyTimeToLive (days, or P<n>D), else plus `historyTimeToLiveDays`; without either it is
 * kept for ever. Called instances are removed with their root (Camunda 7's removal-time strategy
 * "end"). The removal time is fixed when the instance ends: changing the default later changes only
 * instances that end afterwards.
 */
export interface RetentionOptions {
  /** days, for processes without camunda:historyTimeToLive; absent: kept for ever */
  historyTimeToLiveDays?: number;
  /** ms between cleanups of this engine (default 60,000); 0: none (removeExpiredHistory still works) */
  cleanupIntervalMs?: number;
  /** root instances removed per transaction (default 100) */
  cleanupBatchSize?: number;
}

/**
 * The built-in HTTP connector's rules. A URL is called only when an entry of `allowedUrls` covers it:
 * an entry `https://api.example.com/v1` covers that scheme, host and port and the paths under /v1; an
 * entry naming a host may reach whatever address the host resolves to. An entry of a scheme alone
 * (`https://`) covers every host of it at public addresses only: loopback, link-local, private and
 * other non-public addresses (IPv6 and IPv4-mapped IPv6 ones too) are refused after DNS resolution, and
 * the connection goes to the addresses checked. Redirects are not followed: a 3xx answer is the result.
 * `{{secrets.NAME}}` in a connector's URL, headers or body is replaced by `secret(NAME)` only for the
 * call; the job, history, incidents and logs hold the placeholder, and a secret's value in the answer
 * or in an error becomes its placeholder again. Only secrets the model names in the connector's text
 * are put in, not one a variable's value brings in. A call refused, or naming a secret without a value,
 * is a failed attempt whose error says why (naming the secret, never its value).
 */
export interface HttpConnectorOptions {
  /** URL prefixes the connector may call (default none: every call is refused) */
  allowedUrls?: readonly string[];
  /** the value of `{{secrets.NAME}}` (default: the environment variable SECRET_NAME, read at call time) */
  secret?: (name: string) => string | undefined;
  /** a host's addresses (default: the system's DNS lookup); lets tests give names addresses of their own */
  resolveHost?: (hostname: string) => Promise<readonly { address: string; family: number }[]>;
}

/** what a variable's value looks like in a published event (e.g. `***` for a protected variable) */
export type MaskVariable = (name: string, value: unknown) => unknown;

/**
 * A published process_manager.* event: the seed's fields of its type, plus `id` (its position in
 * commit order, a decimal string), `timestamp`, `tenant_id` and, where there is one, `instance_id`.
 */
export interface PublishedEvent {
  id: string;
  type: string;
  timestamp: string;
  tenant_id: string | null;
  instance_id?: string;
  [field: string]: unknown;
}

export interface EventQuery {
  /** the id of the last event already seen */
  after?: string;
  /** default 50, at most 1000 */
  limit?: number;
  types?: string[];
  process_instance_id?: string;
  process_definition_key?: string;
}

export interface EventSinkStatus {
  status: 'healthy' | 'unhealthy';
  /** events not yet delivered */
  waiting: number;
}

export interface EventOptions {
  /** false: this engine writes events but publishes none; another engine process on the database relays them (default true) */
  relay?: boolean;
  /** the Redis stream events are added to when `redisUrl` is set (default `process_manager:events`) */
  redisStreamKey?: string;
  /** the stream is trimmed near this length (default 1,000,000) */
  redisStreamMaxLength?: number;
  /** events are POSTed here as JSON arrays */
  eventManagerUrl?: string;
  /** hours delivered events are kept for replay (default 24) */
  retentionHours?: number;
  /** a process_manager.analytics.performance event as each activity instance ends (default true) */
  performanceEvents?: boolean;
  /** applied to every variable value an event carries (default: the value itself) */
  maskVariable?: MaskVariable;
  /** ms between polls for events no notification announced (default 1,000) */
  pollIntervalMs?: number;
  /** ms a process may deliver to a sink without renewing its turn before another takes over (default 15,000) */
  sinkLeaseMs?: number;
}

export interface EngineOptions {
  /** PostgreSQL connection string; when absent the embedded PGlite store is used */
  databaseUrl?: string;
  /** PGlite data directory; when absent too, an in-memory PGlite (tests) */
  dataDir?: string;
  /** PostgreSQL pool size (default 10) */
  poolSize?: number;
  /** default 'full' */
  historyLevel?: HistoryLevel;
  /** a command that enters more elements than this without waiting stops with a failedInstruction incident */
  maxStepsPerCommand?: number;
  /** bytes; a bigger deployment is refused with PAYLOAD_TOO_LARGE (default 5 MiB) */
  maxBpmnBytes?: number;
  /**
   * Redis for dispatching jobs through BullMQ (several processes share the work); when absent, jobs
   * are dispatched in this process
   */
  redisUrl?: string;
  jobs?: JobExecutorOptions;
  retention?: RetentionOptions;
  httpConnector?: HttpConnectorOptions;
  events?: EventOptions;
  /**
   * Group commit: commands that queue while `lanes` transactions are open run together, up to `maxBatch`
   * in one transaction, each still all or nothing. PostgreSQL: 2 lanes of up to 32; PGlite: 1 lane of 1
   * (commands one at a time, each in a transaction of its own)
   */
  groupCommit?: { lanes?: number; maxBatch?: number };
  /**
   * ms close() waits for the work under way (handlers, jobs, the commands they run) before it gives up
   * on it (default 4,000). Nothing given up on is recorded: its task or job runs again once its lock
   * expires.
   */
  closeTimeoutMs?: number;
  /**
   * Variables whose names match `protectedVariables` are stored AES-256-GCM encrypted under the first of
   * `keys` in every table that holds values (variables, audit, job payloads, kept idempotent answers);
   * every key decrypts, and values under older keys are encrypted again under the first in the
   * background. The API answers them decrypted; events carry `***` in their place. Off when absent.
   */
  variableProtection?: VariableProtectionOptions;
  /** injectable clock for tests */
  now?: () => Date;
  logger?: { info(obj: unknown, msg?: string): void; warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };
}

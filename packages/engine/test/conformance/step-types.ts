// The steps of a trace file. Each step is `{ "<kind>": { …args } }`. Variables are written as plain JSON
// values (`{ "amount": 5 }`); the engine infers their types as the API does.
import type { ErrorCode, IncidentType, Job, ProcessInstanceStatus, VariableType } from '../../src/index.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type PlainVariables = Record<string, JsonValue>;

/** Every step but `start` acts on an instance named by its alias (`main` unless `instance` says otherwise). */
interface OnInstance {
  instance?: string;
}

/** A step that must be refused: the engine call rejects with this error code and changes nothing. */
interface MayFail {
  error?: ErrorCode;
}

export interface StartArgs extends MayFail {
  process?: string;
  business_key?: string;
  variables?: PlainVariables;
  /** alias of the new instance, `main` by default */
  as?: string;
}

/** names one open user task at an element: of several (a multi-instance body's), the one whose loopCounter is given */
interface UserTaskRef extends OnInstance, MayFail {
  activity_id: string;
  loop_counter?: number;
}

export interface CompleteTaskArgs extends UserTaskRef {
  variables?: PlainVariables;
  user_id?: string;
}

export interface ClaimTaskArgs extends UserTaskRef {
  user_id: string;
}

/** names the external task by its element, or by its topic when the instance has one task on it */
interface ExternalTaskRef extends OnInstance, MayFail {
  activity_id?: string;
  topic?: string;
}

export interface CompleteExternalArgs extends ExternalTaskRef {
  variables?: PlainVariables;
  /** subset of the variables the worker is handed by fetch-and-lock */
  fetched_variables?: PlainVariables;
}

export interface FailExternalArgs extends ExternalTaskRef {
  retries: number;
  error_message: string;
  retry_timeout?: number;
}

export interface BpmnErrorArgs extends ExternalTaskRef {
  error_code: string;
  error_message?: string;
  variables?: PlainVariables;
}

export interface CorrelateArgs extends OnInstance, MayFail {
  message_name: string;
  business_key?: string;
  correlation_keys?: PlainVariables;
  /** correlate with the id of the step's instance */
  use_instance_id?: boolean;
  variables?: PlainVariables;
  all?: boolean;
  /** alias for an instance this message starts */
  as?: string;
  /** what caught the message, by instance alias; required unless `error` is given */
  results?: { instance: string; activity_id: string }[];
}

export interface SignalArgs extends MayFail {
  signal_name: string;
  variables?: PlainVariables;
  tenant_id?: string;
  /** alias for an instance this signal starts */
  as?: string;
  /** what caught the signal, by instance alias; required unless `error` is given (`[]`: nothing) */
  results?: { instance: string; activity_id: string }[];
}

export interface SetVariablesArgs extends OnInstance, MayFail {
  variables: PlainVariables;
}

export interface ResolveIncidentArgs extends OnInstance, MayFail {
  incident_type?: IncidentType;
  activity_id?: string;
  resolution_type: 'retry' | 'skip' | 'manual' | 'abort';
  variables?: PlainVariables;
}

export type JobType = Job['type'];

/** names one job of the instance by its element (and type, when the element has jobs of several types) */
export interface RunJobArgs extends OnInstance, MayFail {
  activity_id: string;
  type?: JobType;
  /**
   * the job belongs to no instance (a timer start event's): the instance it starts takes this alias;
   * `instance` is not given then
   */
  as?: string;
}

/** runs the instance's jobs that exist when the step begins, once each, in due order */
export type RunJobsArgs = OnInstance;

/**
 * names the instances the call activity of the step's instance has called, in the order it called them:
 * exactly as many as `as` lists
 */
export interface CalledArgs extends OnInstance {
  activity_id: string;
  as: string[];
}

/** deploys another model in the middle of a trace: `file` is relative to the trace file */
export interface DeployArgs extends MayFail {
  file: string;
  tenant_id?: string;
}

export interface ExpectedJob {
  activity_id: string;
  type: JobType;
  /** due time minus the runner's clock, as an ISO 8601 duration in hours, minutes and seconds (`PT1H`, `PT0S`, `-PT5M`) */
  due_in?: string;
  retries?: number;
  exception_message?: string | null;
}

/** a job of no instance: the next firing of a timer start event */
export interface ExpectedTimerStart {
  activity_id: string;
  due_in?: string;
  retries?: number;
}

export interface ExpectedTask {
  activity_id: string;
  name?: string;
  assignee?: string | null;
  candidate_users?: string[];
  candidate_groups?: string[];
  due?: string | null;
  follow_up?: string | null;
  priority?: number;
  form_key?: string | null;
  /** subset of the variables the task sees (its local ones and those of its scopes) */
  variables?: PlainVariables;
}

export interface ExpectedExternalTask {
  activity_id: string;
  topic?: string;
  retries?: number;
  error_message?: string | null;
}

/** Each key given is compared exactly; keys left out are not looked at. */
export interface ExpectArgs extends OnInstance {
  /** execution_path as `transition_id>activity_id` (or `activity_id` when no flow led there) */
  path?: string[];
  /** activity ids of current_activities, sorted */
  waiting?: string[];
  status?: ProcessInstanceStatus;
  business_key?: string | null;
  /** subset of the instance's variables, by value */
  variables?: PlainVariables;
  variable_types?: Record<string, VariableType>;
  /** names that must not be variables of the instance */
  variables_absent?: string[];
  /** open incidents, sorted by activity id then type */
  incidents?: { incident_type: IncidentType; activity_id: string }[];
  /** open user tasks, sorted by activity id; each task compares the keys it names */
  tasks?: ExpectedTask[];
  /** open external tasks, sorted by activity id; each compares the keys it names */
  external_tasks?: ExpectedExternalTask[];
  /** the instance's jobs, in any order; each compares the keys it names */
  jobs?: ExpectedJob[];
  /** the jobs of no instance (timer start events), in any order; an `expect` naming only these looks at no instance */
  timer_starts?: ExpectedTimerStart[];
}

export interface StepArgs {
  start: StartArgs;
  complete_task: CompleteTaskArgs;
  claim_task: ClaimTaskArgs;
  complete_external: CompleteExternalArgs;
  fail_external: FailExternalArgs;
  bpmn_error: BpmnErrorArgs;
  correlate: CorrelateArgs;
  signal: SignalArgs;
  set_variables: SetVariablesArgs;
  resolve_incident: ResolveIncidentArgs;
  run_job: RunJobArgs;
  run_jobs: RunJobsArgs;
  called: CalledArgs;
  deploy: DeployArgs;
  expect: ExpectArgs;
}

export type StepKind = keyof StepArgs;
export type Step = { [K in StepKind]: { [P in K]: StepArgs[K] } }[StepKind];

/** the keys of ExternalTaskRef */
const EXTERNAL_TASK_REF = ['instance', 'error', 'activity_id', 'topic'] as const;

/** the keys each kind accepts: anything else in a trace file is a mistake */
export const STEP_KEYS: Record<StepKind, readonly string[]> = {
  start: ['process', 'business_key', 'variables', 'as', 'error'],
  complete_task: ['instance', 'error', 'activity_id', 'loop_counter', 'variables', 'user_id'],
  claim_task: ['instance', 'error', 'activity_id', 'loop_counter', 'user_id'],
  complete_external: [...EXTERNAL_TASK_REF, 'variables', 'fetched_variables'],
  fail_external: [...EXTERNAL_TASK_REF, 'retries', 'error_message', 'retry_timeout'],
  bpmn_error: [...EXTERNAL_TASK_REF, 'error_code', 'error_message', 'variables'],
  correlate: ['instance', 'error', 'message_name', 'business_key', 'correlation_keys', 'use_instance_id', 'variables', 'all', 'as', 'results'],
  signal: ['error', 'signal_name', 'variables', 'tenant_id', 'as', 'results'],
  set_variables: ['instance', 'error', 'variables'],
  resolve_incident: ['instance', 'error', 'incident_type', 'activity_id', 'resolution_type', 'variables'],
  run_job: ['instance', 'error', 'activity_id', 'type', 'as'],
  run_jobs: ['instance'],
  called: ['instance', 'activity_id', 'as'],
  deploy: ['error', 'file', 'tenant_id'],
  expect: [
    'instance', 'path', 'waiting', 'status', 'business_key', 'variables', 'variable_types', 'variables_absent', 'incidents', 'tasks',
    'external_tasks', 'jobs', 'timer_starts',
  ],
};

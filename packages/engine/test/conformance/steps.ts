// One function per step kind. Each drives the public Engine API the way a client of the REST API
// would, and returns what it observed (if anything), so that two runs of a fixture can be compared whole.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { isEngineError, type Engine, type ErrorCode, type ExternalTask, type Job, type VariablesInput } from '../../src/index.js';
import { deployModel } from './deploy-model.js';
import { compare, normalised, observed, snapshot } from './snapshot.js';
import type {
  BpmnErrorArgs, CalledArgs, ClaimTaskArgs, CompleteExternalArgs, CompleteTaskArgs, CorrelateArgs, DeployArgs, ExpectArgs, FailExternalArgs,
  PlainVariables, ResolveIncidentArgs, RunJobArgs, RunJobsArgs, SetVariablesArgs, SignalArgs, StartArgs, Step, StepArgs, StepKind,
} from './step-types.js';

export interface RunState {
  /** process key `start` uses when it names none */
  readonly defaultProcess: string;
  /** the folder of the trace file, which `deploy` names its file from */
  readonly directory: string;
  /** instance alias → instance id */
  readonly instances: Map<string, string>;
}

const WORKER = 'conformance-worker';
const LOCK_MS = 10 * 60_000;
const ALL = { limit: 1000 };

type StepFn<K extends StepKind> = (engine: Engine, state: RunState, args: StepArgs[K]) => Promise<unknown>;

const STEPS: { [K in StepKind]: StepFn<K> } = {
  start, complete_task: completeTask, claim_task: claimTask, complete_external: completeExternal,
  fail_external: failExternal, bpmn_error: bpmnError, correlate, signal, set_variables: setVariables,
  resolve_incident: resolveIncident, run_job: runJob, run_jobs: runJobs, called, deploy, expect: expectState,
};

export async function runStep(engine: Engine, state: RunState, step: Step): Promise<unknown> {
  const kind = Object.keys(step)[0] as StepKind;
  const args = (step as Record<StepKind, StepArgs[StepKind]>)[kind];
  const run = STEPS[kind] as StepFn<StepKind>;
  return run(engine, state, args);
}

async function start(engine: Engine, state: RunState, a: StartArgs) {
  const alias = a.as ?? 'main';
  if (state.instances.has(alias)) throw new Error(`instance alias "${alias}" is taken; name the new one with "as"`);
  const instance = await refusable(a.error, () =>
    engine.startInstance({
      process_definition_key: a.process ?? state.defaultProcess,
      business_key: a.business_key,
      variables: toInput(a.variables),
    }));
  if (instance) state.instances.set(alias, instance.id);
  return { instance: instance ? alias : null };
}

async function completeTask(engine: Engine, state: RunState, a: CompleteTaskArgs) {
  const task = await openTask(engine, instanceOf(state, a.instance), a.activity_id, a.loop_counter);
  await refusable(a.error, () => engine.completeTask(task.id, { variables: toInput(a.variables), user_id: a.user_id }));
}

async function claimTask(engine: Engine, state: RunState, a: ClaimTaskArgs) {
  const task = await openTask(engine, instanceOf(state, a.instance), a.activity_id, a.loop_counter);
  await refusable(a.error, () => engine.claimTask(task.id, a.user_id));
}

async function completeExternal(engine: Engine, state: RunState, a: CompleteExternalArgs) {
  const { task, fetched } = await lockExternalTask(engine, instanceOf(state, a.instance), a);
  if (a.fetched_variables) {
    if (!fetched) throw new Error(`external task at ${task.activity_id} was locked by an earlier step; its variables cannot be checked`);
    const visible = Object.fromEntries(
      Object.keys(a.fetched_variables).map((k) => [k, k in fetched.variables ? fetched.variables[k]!.value : '<absent>']),
    );
    expect(visible, `variables fetched for ${task.activity_id}`).toEqual(a.fetched_variables);
  }
  await refusable(a.error, () => engine.completeExternalTask(task.id, { worker_id: WORKER, variables: toInput(a.variables) }));
}

async function failExternal(engine: Engine, state: RunState, a: FailExternalArgs) {
  const { task } = await lockExternalTask(engine, instanceOf(state, a.instance), a);
  await refusable(a.error, () =>
    engine.failExternalTask(task.id, { worker_id: WORKER, error_message: a.error_message, retries: a.retries, retry_timeout: a.retry_timeout ?? 0 }));
}

async function bpmnError(engine: Engine, state: RunState, a: BpmnErrorArgs) {
  const { task } = await lockExternalTask(engine, instanceOf(state, a.instance), a);
  await refusable(a.error, () =>
    engine.bpmnErrorExternalTask(task.id, { worker_id: WORKER, error_code: a.error_code, error_message: a.error_message, variables: toInput(a.variables) }));
}

async function correlate(engine: Engine, state: RunState, a: CorrelateArgs) {
  if (!a.error && !a.results) throw new Error(`correlate "${a.message_name}": say which "results" it must give (or the "error")`);
  const results = await refusable(a.error, () =>
    engine.correlateMessage({
      message_name: a.message_name,
      business_key: a.business_key,
      correlation_keys: a.correlation_keys,
      process_instance_id: a.use_instance_id ? instanceOf(state, a.instance) : undefined,
      variables: toInput(a.variables),
      all: a.all,
    }));
  if (!results) return { results: null };
  const named = byInstance(results.map((r) => ({ instance: aliasOf(state, r.process_instance_id, a.as), activity_id: r.activity_id })));
  expect(named, `correlate "${a.message_name}" results`).toEqual(byInstance(a.results ?? []));
  return { results: named };
}

async function signal(engine: Engine, state: RunState, a: SignalArgs) {
  if (!a.error && !a.results) throw new Error(`signal "${a.signal_name}": say which "results" it must give (or the "error")`);
  const results = await refusable(a.error, () =>
    engine.broadcastSignal({ signal_name: a.signal_name, variables: toInput(a.variables), tenant_id: a.tenant_id }));
  if (!results) return { results: null };
  const named = byInstance(results.map((r) => ({ instance: aliasOf(state, r.process_instance_id, a.as), activity_id: r.activity_id })));
  expect(named, `signal "${a.signal_name}" results`).toEqual(byInstance(a.results ?? []));
  return { results: named };
}

async function setVariables(engine: Engine, state: RunState, a: SetVariablesArgs) {
  const updates = Object.entries(a.variables).map(([variable_name, value]) => ({ variable_name, value }));
  await refusable(a.error, () => engine.updateVariables(instanceOf(state, a.instance), updates));
}

async function resolveIncident(engine: Engine, state: RunState, a: ResolveIncidentArgs) {
  const instanceId = instanceOf(state, a.instance);
  const open = await engine.listIncidents({
    ...ALL, process_instance_id: instanceId, status: 'open', incident_type: a.incident_type, activity_id: a.activity_id,
  });
  const incident = only(open.data, `open incident${a.incident_type ? ` of type ${a.incident_type}` : ''}${a.activity_id ? ` at ${a.activity_id}` : ''}`);
  await refusable(a.error, () => engine.resolveIncident(incident.id, { resolution_type: a.resolution_type, variables: toInput(a.variables) }));
}

/**
 * Runs one job now (a timer fires at once). A job of no instance, a timer start event's, is named with
 * `as`: the instance it starts takes that alias.
 */
async function runJob(engine: Engine, state: RunState, a: RunJobArgs) {
  if (a.as !== undefined && a.instance !== undefined) throw new Error('run_job: a job named with "as" belongs to no instance; leave out "instance"');
  const what = `${a.type ? `${a.type} ` : ''}job ${a.as === undefined ? `of instance "${a.instance ?? 'main'}"` : 'of no instance'} at ${a.activity_id}`;
  if (a.as === undefined) {
    const jobs = await engine.listJobs({ ...ALL, process_instance_id: instanceOf(state, a.instance), activity_id: a.activity_id, type: a.type });
    const job = only(jobs.data, what);
    await refusable(a.error, () => engine.executeJob(job.id));
    return { ran: { activity_id: job.activity_id, type: job.type } };
  }
  if (state.instances.has(a.as)) throw new Error(`instance alias "${a.as}" is taken; name the new one with another "as"`);
  const jobs = await engine.listJobs({ ...ALL, activity_id: a.activity_id, type: a.type });
  const job = only(jobs.data.filter((j) => j.process_instance_id === undefined), what);
  const before = new Set((await engine.listInstances(ALL)).data.map((i) => i.id));
  const ran = await refusable(a.error, () => engine.executeJob(job.id).then(() => true));
  const started = (await engine.listInstances(ALL)).data.filter((i) => !before.has(i.id));
  if (ran) state.instances.set(a.as, only(started, `instance started by the ${what}`).id);
  else if (started.length) throw new Error(`the refused ${what} started ${started.length} instance(s)`);
  return { ran: { activity_id: job.activity_id, type: job.type }, instance: ran ? a.as : null };
}

/**
 * Runs the jobs the instance has when the step begins, once each, earliest due first: a cycle timer's
 * next firing, or a job one of them creates, waits for the next step. A job an earlier one removed
 * (its activity was interrupted, its race lost) is passed over.
 */
async function runJobs(engine: Engine, state: RunState, a: RunJobsArgs) {
  const instanceId = instanceOf(state, a.instance);
  const present = inDueOrder((await engine.listJobs({ ...ALL, process_instance_id: instanceId })).data);
  const ran: { activity_id: string; type: Job['type'] }[] = [];
  for (const job of present) {
    const left = new Set((await engine.listJobs({ ...ALL, process_instance_id: instanceId })).data.map((j) => j.id));
    if (!left.has(job.id)) continue;
    await engine.executeJob(job.id);
    ran.push({ activity_id: job.activity_id, type: job.type });
  }
  return { ran };
}

/** names the instances a call activity called, in the order of its activity instances */
async function called(engine: Engine, state: RunState, a: CalledArgs) {
  const parent = await engine.getInstance(instanceOf(state, a.instance));
  const ids = parent.activities.filter((x) => x.activity_id === a.activity_id && x.called_instance_id).map((x) => x.called_instance_id!);
  expect(ids.length, `instances called by ${a.activity_id}`).toBe(a.as.length);
  for (const [i, alias] of a.as.entries()) {
    if (state.instances.has(alias)) throw new Error(`instance alias "${alias}" is taken; name the called instance with another`);
    const child = await engine.getInstance(ids[i]!);
    expect(child.super_instance_id, `the instance "${alias}" names its caller`).toBe(parent.id);
    state.instances.set(alias, child.id);
  }
  return { called: a.as };
}

/** deploys a model (or a DMN file's decisions) in the middle of the trace, for a tenant when one is named */
async function deploy(engine: Engine, state: RunState, a: DeployArgs) {
  const xml = readFileSync(join(state.directory, a.file), 'utf8');
  const result = await refusable(a.error, () => deployModel(engine, a.file, xml, a.tenant_id));
  return { deployed: result ? result.deployed : null };
}

/** earliest due first; ties by element and type, so that every run takes the same order */
const inDueOrder = (jobs: readonly Job[]) => [...jobs].sort((x, y) =>
  new Date(x.due_at).getTime() - new Date(y.due_at).getTime() || compare(x.activity_id, y.activity_id) || compare(x.type, y.type));

async function expectState(engine: Engine, state: RunState, a: ExpectArgs) {
  const expected = normalised(a);
  // an expect naming only the timer start jobs looks at no instance: there may be none yet
  const anyInstance = a.instance !== undefined || Object.keys(expected).some((k) => k !== 'timer_starts');
  const snap = await snapshot(engine, anyInstance ? instanceOf(state, a.instance) : undefined);
  expect(observed(expected, snap), `state of instance "${a.instance ?? 'main'}"`).toEqual(expected);
  return snap;
}

async function openTask(engine: Engine, instanceId: string, activityId: string, loopCounter?: number) {
  const tasks = await engine.listTasks({ ...ALL, process_instance_id: instanceId, task_definition_key: activityId });
  const matching = loopCounter === undefined ? tasks.data : tasks.data.filter((t) => t.variables.loopCounter?.value === loopCounter);
  return only(matching, `open user task at ${activityId}${loopCounter === undefined ? '' : ` with loopCounter ${loopCounter}`}`);
}

/** Finds the step's external task and locks it for this runner's worker (a lock taken earlier still holds). */
async function lockExternalTask(engine: Engine, instanceId: string, a: { activity_id?: string; topic?: string }) {
  if (!a.activity_id === !a.topic) throw new Error('name the external task by "activity_id" or by "topic"');
  const open = await engine.listExternalTasks({ ...ALL, process_instance_id: instanceId, activity_id: a.activity_id, topic_name: a.topic });
  const task: ExternalTask = only(open.data, `external task ${a.activity_id ? `at ${a.activity_id}` : `on topic ${a.topic}`}`);
  const locked = await engine.fetchAndLock({
    worker_id: WORKER, max_tasks: 1000,
    topics: [{ topic_name: task.topic_name, lock_duration: LOCK_MS, process_instance_id: instanceId }],
  });
  return { task, fetched: locked.find((t) => t.id === task.id) };
}

/** Runs an engine call that must fail with `code` when one is given; answers undefined then. */
async function refusable<T>(code: ErrorCode | undefined, call: () => Promise<T>): Promise<T | undefined> {
  if (!code) return call();
  let outcome: string;
  try {
    await call();
    outcome = 'it succeeded';
  } catch (e) {
    if (isEngineError(e) && e.code === code) return undefined;
    outcome = isEngineError(e) ? `it failed with ${e.code}: ${e.message}` : `it threw ${String(e)}`;
  }
  throw new Error(`expected the engine to refuse with ${code}, but ${outcome}`);
}

function only<T>(items: readonly T[], what: string): T {
  if (items.length !== 1) throw new Error(`expected exactly one ${what}, found ${items.length}`);
  return items[0]!;
}

function instanceOf(state: RunState, alias = 'main'): string {
  const id = state.instances.get(alias);
  if (!id) throw new Error(`no instance is called "${alias}" (known: ${[...state.instances.keys()].join(', ') || 'none'})`);
  return id;
}

/** the alias of an instance id; an instance the step started takes the step's `as` */
function aliasOf(state: RunState, id: string, as: string | undefined): string {
  for (const [alias, known] of state.instances) if (known === id) return alias;
  if (as && !state.instances.has(as)) {
    state.instances.set(as, id);
    return as;
  }
  return '<unknown instance>';
}

/** correlation results in a stable order, whatever order the engine or the fixture lists them in */
const byInstance = (results: readonly { instance: string; activity_id: string }[]) =>
  [...results].sort((x, y) => compare(x.instance, y.instance) || compare(x.activity_id, y.activity_id));

function toInput(vars: PlainVariables | undefined): VariablesInput | undefined {
  return vars && Object.fromEntries(Object.entries(vars).map(([k, value]) => [k, { value }]));
}

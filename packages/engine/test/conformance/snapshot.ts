// What a trace observes of an instance: everything but ids and timestamps, so that two runs of a
// fixture can be compared whole, and an `expect` step is compared against the part it names.
import { isDeepStrictEqual } from 'node:util';
import type { Engine, IncidentType, ProcessInstanceStatus, ProcessVariable, VariableType } from '../../src/index.js';
import type {
  ExpectArgs, ExpectedExternalTask, ExpectedJob, ExpectedTask, ExpectedTimerStart, JsonValue, PlainVariables,
} from './step-types.js';

/**
 * The engines of a run see a clock that stands still at this instant: no timer comes due by itself,
 * and a job's due time reads the same in every run (`due_in`).
 */
export const FIXTURE_CLOCK = new Date('2026-01-01T00:00:00.000Z');

export interface InstanceSnapshot {
  status: ProcessInstanceStatus;
  business_key: string | null;
  path: string[];
  waiting: string[];
  variables: PlainVariables;
  variable_types: Record<string, VariableType>;
  incidents: { incident_type: IncidentType; activity_id: string }[];
  tasks: Required<ExpectedTask>[];
  external_tasks: Required<ExpectedExternalTask>[];
  jobs: Required<ExpectedJob>[];
}

/** what an `expect` step observed: the instance (unless it names only `timer_starts`) and the timer start jobs */
export interface Snapshot extends Partial<InstanceSnapshot> {
  timer_starts: Required<ExpectedTimerStart>[];
}

type Expected = Omit<ExpectArgs, 'instance'>;

const ALL = { limit: 1000 };

/** the instance's state and the timer start jobs; only the latter when no instance is given */
export async function snapshot(engine: Engine, instanceId: string | undefined): Promise<Snapshot> {
  const [instance, starts] = await Promise.all([
    instanceId === undefined ? undefined : instanceSnapshot(engine, instanceId),
    engine.listJobs(ALL),
  ]);
  const timer_starts = byActivity(starts.data.filter((j) => j.process_instance_id === undefined)
    .map((j) => ({ activity_id: j.activity_id, due_in: dueIn(j.due_at), retries: j.retries })));
  return { ...instance, timer_starts };
}

async function instanceSnapshot(engine: Engine, instanceId: string): Promise<InstanceSnapshot> {
  const [instance, incidents, tasks, externalTasks, jobs] = await Promise.all([
    engine.getInstance(instanceId),
    engine.listIncidents({ ...ALL, process_instance_id: instanceId, status: 'open' }),
    engine.listTasks({ ...ALL, process_instance_id: instanceId }),
    engine.listExternalTasks({ ...ALL, process_instance_id: instanceId }),
    engine.listJobs({ ...ALL, process_instance_id: instanceId }),
  ]);
  return {
    status: instance.status,
    business_key: instance.business_key ?? null,
    path: instance.execution_path.map((e) => (e.transition_id ? `${e.transition_id}>${e.activity_id}` : e.activity_id)),
    waiting: instance.current_activities.map((a) => a.activity_id).sort(compare),
    variables: valuesOf(instance.variables),
    variable_types: Object.fromEntries(Object.entries(instance.variables).map(([k, v]) => [k, v.type])),
    incidents: sortIncidents(incidents.data.map((i) => ({ incident_type: i.incident_type, activity_id: i.activity_id ?? '' }))),
    tasks: inFixedOrder(tasks.data.map((t) => ({
      activity_id: t.task_definition_key,
      name: t.name,
      assignee: t.assignee ?? null,
      candidate_users: [...t.candidate_users].sort(compare),
      candidate_groups: [...t.candidate_groups].sort(compare),
      due: t.due ?? null,
      follow_up: t.follow_up ?? null,
      priority: t.priority,
      form_key: t.form_key ?? null,
      variables: valuesOf(t.variables),
    }))),
    external_tasks: inFixedOrder(externalTasks.data.map((t) => ({
      activity_id: t.activity_id, topic: t.topic_name, retries: t.retries, error_message: t.error_message ?? null,
    }))),
    jobs: sortJobs(jobs.data.map((j) => ({
      activity_id: j.activity_id, type: j.type, due_in: dueIn(j.due_at), retries: j.retries, exception_message: j.exception_message ?? null,
    }))),
  };
}

/**
 * `due` minus the fixture clock as an ISO 8601 duration in hours, minutes and (fractional) seconds:
 * `PT1H`, `PT1H30M`, `PT0.5S`, `PT0S`, `-PT5M` for a time already past.
 */
export function dueIn(due: string): string {
  const ms = new Date(due).getTime() - FIXTURE_CLOCK.getTime();
  const abs = Math.abs(ms);
  const h = Math.floor(abs / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = (abs % 60_000) / 1000;
  const text = `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
  return ms < 0 ? `-${text}` : text;
}

/** An `expect` step in the order a snapshot lists things, so that a fixture may list them in any order. */
export function normalised({ instance: _alias, ...a }: ExpectArgs): Expected {
  return {
    ...a,
    ...(a.waiting && { waiting: [...a.waiting].sort(compare) }),
    ...(a.incidents && { incidents: sortIncidents(a.incidents) }),
    ...(a.tasks && { tasks: byActivity(a.tasks.map(candidatesAsSets)) }),
    ...(a.external_tasks && { external_tasks: byActivity(a.external_tasks) }),
    ...(a.jobs && { jobs: sortJobs(a.jobs) }),
    ...(a.timer_starts && { timer_starts: byActivity(a.timer_starts) }),
  };
}

/** candidates are identity links, a set: compared sorted */
const candidatesAsSets = (t: ExpectedTask): ExpectedTask => ({
  ...t,
  ...(t.candidate_users && { candidate_users: [...t.candidate_users].sort(compare) }),
  ...(t.candidate_groups && { candidate_groups: [...t.candidate_groups].sort(compare) }),
});

/** marks a variable an `expect` names that is not there */
const ABSENT = '<absent>';

/** The part of a snapshot a (normalised) `expect` step names, shaped like the step so that a diff reads side by side. */
export function observed(expected: Expected, all: Snapshot): Expected {
  const out: Expected = {};
  if (expected.timer_starts) out.timer_starts = all.timer_starts.map((j) => pick(j, keysOf(expected.timer_starts!)));
  if (Object.keys(expected).every((k) => k === 'timer_starts')) return out;
  if (all.status === undefined) throw new Error('the expect step looked at no instance');
  const snap = all as InstanceSnapshot & Snapshot;
  if (expected.path) out.path = snap.path;
  if (expected.waiting) out.waiting = snap.waiting;
  if (expected.status) out.status = snap.status;
  if (expected.business_key !== undefined) out.business_key = snap.business_key;
  if (expected.variables) out.variables = subset(expected.variables, snap.variables);
  if (expected.variable_types) {
    out.variable_types = Object.fromEntries(
      Object.keys(expected.variable_types).map((k) => [k, snap.variable_types[k] ?? (ABSENT as VariableType)]),
    );
  }
  if (expected.variables_absent) out.variables_absent = expected.variables_absent.filter((k) => !(k in snap.variables));
  if (expected.incidents) out.incidents = snap.incidents;
  if (expected.tasks) {
    const keys = keysOf(expected.tasks);
    out.tasks = lineUp(expected.tasks, snap.tasks, (t, e) => {
      const task = pick(t, keys);
      return task.variables ? { ...task, variables: subset(e?.variables ?? {}, task.variables) } : task;
    });
  }
  if (expected.external_tasks) {
    const keys = keysOf(expected.external_tasks);
    out.external_tasks = lineUp(expected.external_tasks, snap.external_tasks, (t) => pick(t, keys));
  }
  if (expected.jobs) {
    const keys = keysOf(expected.jobs);
    out.jobs = lineUp(expected.jobs, snap.jobs, (j) => pick(j, keys));
  }
  return out;
}

/**
 * The observed entries shaped like the expected ones (`shape` picks what an expected entry names), in
 * the expected order: each expected entry takes an observed one equal to it, else the next at its
 * element; what is left over comes last. So entries at one element may be listed in any order.
 */
function lineUp<E extends { activity_id: string }, O extends { activity_id: string }>(
  expected: readonly E[],
  observed: readonly O[],
  shape: (o: O, e: E | undefined) => E,
): E[] {
  const left = [...observed];
  const out: E[] = [];
  for (const e of expected) {
    let i = left.findIndex((o) => isDeepStrictEqual(shape(o, e), e));
    if (i < 0) i = left.findIndex((o) => o.activity_id === e.activity_id);
    if (i < 0) continue;
    out.push(shape(left[i]!, e));
    left.splice(i, 1);
  }
  return [...out, ...left.map((o) => shape(o, undefined))];
}

const valuesOf = (vars: Record<string, ProcessVariable>): PlainVariables =>
  Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, v.value as JsonValue]));

/** the values of the variables `expected` names, ABSENT for those missing */
const subset = (expected: PlainVariables, actual: PlainVariables): PlainVariables =>
  Object.fromEntries(Object.keys(expected).map((k) => [k, k in actual ? actual[k]! : ABSENT]));

/** the keys named by any of the expected entries; `activity_id` always, so that entries line up */
const keysOf = <T extends { activity_id: string }>(entries: readonly T[]): (keyof T)[] =>
  [...new Set(['activity_id', ...entries.flatMap((e) => Object.keys(e))])] as (keyof T)[];

const pick = <T extends object>(obj: T, keys: readonly (keyof T)[]): T =>
  Object.fromEntries(keys.map((k) => [k, obj[k]])) as T;

/** code-unit order, the same on every machine (localeCompare is not) */
export const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** by activity id; entries at the same activity keep their order */
const byActivity = <T extends { activity_id: string }>(list: readonly T[]): T[] =>
  [...list].sort((x, y) => compare(x.activity_id, y.activity_id));

/** by activity id, ties by content: the same in every run, whatever order the engine lists ties in */
const inFixedOrder = <T extends { activity_id: string }>(list: readonly T[]): T[] =>
  [...list].sort((x, y) => compare(x.activity_id, y.activity_id) || compare(JSON.stringify(x), JSON.stringify(y)));

/** by activity id, then type, then due time: an order that does not depend on the engine's */
const sortJobs = <T extends { activity_id: string; type: string; due_in?: string }>(list: readonly T[]): T[] =>
  [...list].sort((x, y) => compare(x.activity_id, y.activity_id) || compare(x.type, y.type) || dueMs(x.due_in) - dueMs(y.due_in)
    || compare(JSON.stringify(x), JSON.stringify(y)));

/** reads what dueIn writes back as milliseconds (0 when not given) */
function dueMs(text: string | undefined): number {
  const match = text === undefined ? null : /^(-?)PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(text);
  if (!match) return 0;
  const [, sign, h = '0', m = '0', s = '0'] = match;
  return (sign ? -1 : 1) * (Number(h) * 3_600_000 + Number(m) * 60_000 + Number(s) * 1000);
}

const sortIncidents = <T extends { activity_id: string; incident_type: string }>(list: readonly T[]): T[] =>
  [...list].sort((x, y) => compare(x.activity_id, y.activity_id) || compare(x.incident_type, y.incident_type));

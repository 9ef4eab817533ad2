// What a trace observes of an instance: everything but ids and timestamps, so that two runs of a
// fixture can be compared whole, and an `expect` step is compared against the part it names.
import type { Engine, IncidentType, ProcessInstanceStatus, ProcessVariable, VariableType } from '../../src/index.js';
import type { ExpectArgs, ExpectedExternalTask, ExpectedTask, JsonValue, PlainVariables } from './step-types.js';

export interface Snapshot {
  status: ProcessInstanceStatus;
  business_key: string | null;
  path: string[];
  waiting: string[];
  variables: PlainVariables;
  variable_types: Record<string, VariableType>;
  incidents: { incident_type: IncidentType; activity_id: string }[];
  tasks: Required<ExpectedTask>[];
  external_tasks: Required<ExpectedExternalTask>[];
}

type Expected = Omit<ExpectArgs, 'instance'>;

const ALL = { limit: 1000 };

export async function snapshot(engine: Engine, instanceId: string): Promise<Snapshot> {
  const [instance, incidents, tasks, externalTasks] = await Promise.all([
    engine.getInstance(instanceId),
    engine.listIncidents({ ...ALL, process_instance_id: instanceId, status: 'open' }),
    engine.listTasks({ ...ALL, process_instance_id: instanceId }),
    engine.listExternalTasks({ ...ALL, process_instance_id: instanceId }),
  ]);
  return {
    status: instance.status,
    business_key: instance.business_key ?? null,
    path: instance.execution_path.map((e) => (e.transition_id ? `${e.transition_id}>${e.activity_id}` : e.activity_id)),
    waiting: instance.current_activities.map((a) => a.activity_id).sort(compare),
    variables: valuesOf(instance.variables),
    variable_types: Object.fromEntries(Object.entries(instance.variables).map(([k, v]) => [k, v.type])),
    incidents: sortIncidents(incidents.data.map((i) => ({ incident_type: i.incident_type, activity_id: i.activity_id ?? '' }))),
    tasks: byActivity(tasks.data.map((t) => ({
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
    external_tasks: byActivity(externalTasks.data.map((t) => ({
      activity_id: t.activity_id, topic: t.topic_name, retries: t.retries, error_message: t.error_message ?? null,
    }))),
  };
}

/** An `expect` step in the order a snapshot lists things, so that a fixture may list them in any order. */
export function normalised({ instance: _alias, ...a }: ExpectArgs): Expected {
  return {
    ...a,
    ...(a.waiting && { waiting: [...a.waiting].sort(compare) }),
    ...(a.incidents && { incidents: sortIncidents(a.incidents) }),
    ...(a.tasks && { tasks: byActivity(a.tasks.map(candidatesAsSets)) }),
    ...(a.external_tasks && { external_tasks: byActivity(a.external_tasks) }),
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
export function observed(expected: Expected, snap: Snapshot): Expected {
  const out: Expected = {};
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
    const tasks = expected.tasks;
    out.tasks = snap.tasks.map((t, i) => {
      const task = pick(t, keysOf(tasks));
      return task.variables ? { ...task, variables: subset(tasks[i]?.variables ?? {}, task.variables) } : task;
    });
  }
  if (expected.external_tasks) out.external_tasks = snap.external_tasks.map((t) => pick(t, keysOf(expected.external_tasks!)));
  return out;
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

const byActivity = <T extends { activity_id: string }>(list: readonly T[]): T[] =>
  [...list].sort((x, y) => compare(x.activity_id, y.activity_id));

const sortIncidents = <T extends { activity_id: string; incident_type: string }>(list: readonly T[]): T[] =>
  [...list].sort((x, y) => compare(x.activity_id, y.activity_id) || compare(x.incident_type, y.incident_type));

// The grown store of `npm run bench -- scale`: a PostgreSQL database holding a million ended instances with
// full history and ten thousand open tasks, bulk-loaded with SQL rather than run, in the rows the engine writes
// (checked against what it writes for the same models). The database is kept between runs and loaded once.
import { createEngine } from '@dadms/process-engine';
import { postgresClient, testDatabaseUrl, testPostgresUrl } from '@dadms/process-engine/testing';
import type { TransactionSql } from 'postgres';

/** start → script task → end: most of what the store holds */
const scriptedKey = 'bench_scale_scripted';
/** start → user task for the candidate group in variable `group` → end: a fifth of the ended instances, and the open tasks */
export const reviewKey = 'bench_scale_review';
export const CANDIDATE_GROUPS = 100;

const definitions = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_scale" targetNamespace="http://bpmn.io/schema/bpmn">
${body}
</bpmn:definitions>
`;

const scaleModels = [
  definitions(`  <bpmn:process id="${scriptedKey}" name="Bench: scripted" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="calc" />
    <bpmn:scriptTask id="calc" name="Calculate" scriptFormat="feel" camunda:resultVariable="total"><bpmn:script>amount * 2</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="f2" sourceRef="calc" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`),
  definitions(`  <bpmn:process id="${reviewKey}" name="Bench: review" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" name="Review" camunda:candidateGroups="\${group}" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`),
];

export interface StoreSize {
  ended: number;
  openTasks: number;
  /** the ended instances start evenly over this many days before the load */
  days: number;
}

export const scaleDatabaseUrl = (): string => testDatabaseUrl('pm_bench_scale');

const CHUNK = 100_000;

/**
 * Creates the database (migrated by an engine, which deploys the models) and loads what it lacks of `size`.
 * Answers how long the load took, 0 when it was already there.
 */
export async function growStore(size: StoreSize, log: (line: string) => void): Promise<number> {
  const admin = await postgresClient(testPostgresUrl(), { max: 1, onnotice: () => {} });
  try {
    const exists = await admin`select 1 from pg_database where datname = 'pm_bench_scale'`;
    if (exists.length === 0) await admin.unsafe('CREATE DATABASE pm_bench_scale');
  } finally {
    await admin.end();
  }
  const engine = await createEngine({ databaseUrl: scaleDatabaseUrl() });
  try {
    for (const xml of scaleModels) await engine.deploy({ bpmn_xml: xml, name: 'bench scale' });
  } finally {
    await engine.close();
  }
  const sql = await postgresClient(scaleDatabaseUrl(), { max: 1, onnotice: () => {} });
  const t0 = performance.now();
  try {
    const [defs] = await sql<{ scripted: string; review: string }[]>`
      select max(id) filter (where key = ${scriptedKey}) as scripted, max(id) filter (where key = ${reviewKey}) as review
      from process_definitions`;
    const [have] = await sql<{ ended: number; open: number }[]>`
      select (select count(*)::int from process_instances where status = 'completed' and started_by = 'bench-scale') as ended,
             (select count(*)::int from tasks where status = 'created' and process_definition_key = ${reviewKey}) as open`;
    if (have!.ended >= size.ended && have!.open >= size.openTasks) return 0;
    const stepMs = (size.days * 86_400_000) / size.ended;
    for (let from = have!.ended + 1; from <= size.ended; from += CHUNK) {
      const to = Math.min(size.ended, from + CHUNK - 1);
      await sql.begin((tx) => loadEnded(tx, defs!, from, to, stepMs, size.ended));
      log(`  loaded ended instances ${from.toLocaleString('en')}–${to.toLocaleString('en')} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
    if (have!.open < size.openTasks) {
      await sql.begin((tx) => loadOpen(tx, defs!.review, have!.open + 1, size.openTasks));
      log(`  loaded ${size.openTasks.toLocaleString('en')} open tasks`);
    }
    await sql.unsafe('VACUUM ANALYZE');
    return (performance.now() - t0) / 1000;
  } finally {
    await sql.end();
  }
}

type Tx = TransactionSql;

/**
 * Instances `from`..`to` of `total`, evenly spaced up to an hour before now; every fifth one went through the
 * review (claimed and completed after minutes to hours), the others through the script task in milliseconds.
 */
async function loadEnded(tx: Tx, defs: { scripted: string; review: string }, from: number, to: number, stepMs: number, total: number) {
  await tx.unsafe(`
    CREATE TEMP TABLE bulk ON COMMIT DROP AS
    SELECT n, gen_random_uuid()::text AS id, gen_random_uuid()::text AS execution_id, gen_random_uuid()::text AS task_id,
           gen_random_uuid()::text AS work_id, (n % 5 = 0) AS human, 'u' || (n % 50) AS worker, 'g' || (n % ${CANDIDATE_GROUPS}) AS grp,
           start_time, start_time + work_ms * interval '1 millisecond' AS work_end, work_ms
    FROM (
      SELECT n, date_trunc('milliseconds', now() - interval '1 hour' - ((${total} - n) * ${stepMs}) * interval '1 millisecond') AS start_time,
             CASE WHEN n % 5 = 0 THEN 60000 * (1 + (n * 7919) % 480) ELSE 2 + (n * 7919) % 40 END AS work_ms
      FROM generate_series(${from}::bigint, ${to}::bigint) n
    ) g`);
  const def = `CASE WHEN human THEN '${defs.review}' ELSE '${defs.scripted}' END`;
  const key = `CASE WHEN human THEN '${reviewKey}' ELSE '${scriptedKey}' END`;
  const end = `work_end + interval '1 millisecond'`;
  await tx.unsafe(`
    INSERT INTO process_instances (id, process_definition_id, process_definition_key, business_key, start_time, end_time, duration,
      status, started_by, root_instance_id, suspension_state, sequence_counter)
    SELECT id, ${def}, ${key}, 'order-' || n, start_time, ${end}, work_ms + 1, 'completed', 'bench-scale', id, 'active', 3 FROM bulk`);
  await tx.unsafe(`
    INSERT INTO activity_instances (id, process_instance_id, process_definition_id, process_definition_key, seq, execution_id,
      activity_id, activity_name, activity_type, transition_id, status, start_time, end_time, duration, assignee, task_id, in_path)
    SELECT gen_random_uuid()::text, id, ${def}, ${key}, 1, execution_id, 'start', NULL, 'startEvent', NULL, 'completed',
           start_time, start_time, 0, NULL, NULL, true FROM bulk
    UNION ALL
    SELECT work_id, id, ${def}, ${key}, 2, execution_id, CASE WHEN human THEN 'review' ELSE 'calc' END,
           CASE WHEN human THEN 'Review' ELSE 'Calculate' END, CASE WHEN human THEN 'userTask' ELSE 'scriptTask' END, 'f1', 'completed',
           start_time, work_end, work_ms, CASE WHEN human THEN worker END, CASE WHEN human THEN task_id END, true FROM bulk
    UNION ALL
    SELECT gen_random_uuid()::text, id, ${def}, ${key}, 3, execution_id, 'end', NULL, 'endEvent', 'f2', 'completed',
           ${end}, ${end}, 0, NULL, NULL, true FROM bulk`);
  await tx.unsafe(`
    INSERT INTO process_variables (id, instance_id, execution_id, name, type, value_text, value_long, value_double, created_at, updated_at)
    SELECT gen_random_uuid()::text, id, id, 'amount', 'Integer', (n % 1000)::text, n % 1000, n % 1000, start_time, start_time FROM bulk WHERE NOT human
    UNION ALL
    SELECT gen_random_uuid()::text, id, id, 'total', 'Integer', (2 * (n % 1000))::text, 2 * (n % 1000), 2 * (n % 1000), work_end, work_end FROM bulk WHERE NOT human
    UNION ALL
    SELECT gen_random_uuid()::text, id, id, 'group', 'String', '"' || grp || '"', NULL, NULL, start_time, start_time FROM bulk WHERE human
    UNION ALL
    SELECT gen_random_uuid()::text, id, id, 'approved', 'Boolean', 'true', NULL, NULL, work_end, work_end FROM bulk WHERE human`);
  await tx.unsafe(`
    INSERT INTO tasks (id, name, process_instance_id, process_definition_id, process_definition_key, task_definition_key, execution_id,
      activity_instance_id, assignee, status, created, end_time, completed_by, priority, candidate_groups)
    SELECT task_id, 'Review', id, '${defs.review}', '${reviewKey}', 'review', execution_id, work_id, worker, 'completed',
           start_time, work_end, worker, 50, ARRAY[grp] FROM bulk WHERE human`);
  await tx.unsafe(`
    INSERT INTO task_identity_links (id, task_id, type, group_id)
    SELECT gen_random_uuid()::text, task_id, 'candidate', grp FROM bulk WHERE human`);
  await tx.unsafe(`
    INSERT INTO audit_log (id, timestamp, process_instance_id, execution_id, task_id, activity_id, activity_type, process_definition_id,
      process_definition_key, assignee, operation, user_id, property, new_value)
    SELECT gen_random_uuid()::text, start_time, id, NULL, NULL, 'start', NULL, ${def}, ${key}, NULL, 'Start', 'bench-scale', NULL, NULL FROM bulk
    UNION ALL
    SELECT gen_random_uuid()::text, start_time + interval '1 millisecond', id, execution_id, task_id, 'review', NULL, ${def}, ${key},
           worker, 'Claim', worker, 'assignee', worker FROM bulk WHERE human
    UNION ALL
    SELECT gen_random_uuid()::text, work_end, id, execution_id, task_id, 'review', 'userTask', ${def}, ${key},
           worker, 'Complete', worker, NULL, NULL FROM bulk WHERE human`);
}

/** Open review tasks `from`..`to`, created over the last day, each offered to one of the candidate groups. */
async function loadOpen(tx: Tx, definitionId: string, from: number, to: number) {
  await tx.unsafe(`
    CREATE TEMP TABLE bulk ON COMMIT DROP AS
    SELECT n, gen_random_uuid()::text AS id, gen_random_uuid()::text AS execution_id, gen_random_uuid()::text AS task_id,
           gen_random_uuid()::text AS work_id, 'g' || (n % ${CANDIDATE_GROUPS}) AS grp,
           date_trunc('milliseconds', now() - (n * 8640) * interval '1 millisecond') AS start_time
    FROM generate_series(${from}::bigint, ${to}::bigint) n`);
  const common = `'${definitionId}', '${reviewKey}'`;
  await tx.unsafe(`
    INSERT INTO process_instances (id, process_definition_id, process_definition_key, business_key, start_time, status, started_by,
      root_instance_id, suspension_state, sequence_counter)
    SELECT id, ${common}, 'open-' || n, start_time, 'active', 'bench-scale', id, 'active', 2 FROM bulk`);
  await tx.unsafe(`
    INSERT INTO executions (id, process_instance_id, parent_id, activity_id, activity_instance_id, transition_id, state, is_scope)
    SELECT id, id, NULL, NULL, NULL, NULL, 'scope', true FROM bulk
    UNION ALL
    SELECT execution_id, id, id, 'review', work_id, 'f1', 'waiting', false FROM bulk`);
  await tx.unsafe(`
    INSERT INTO activity_instances (id, process_instance_id, process_definition_id, process_definition_key, seq, execution_id,
      activity_id, activity_name, activity_type, transition_id, status, start_time, end_time, duration, task_id, in_path)
    SELECT gen_random_uuid()::text, id, ${common}, 1, execution_id, 'start', NULL, 'startEvent', NULL, 'completed', start_time, start_time, 0, NULL, true FROM bulk
    UNION ALL
    SELECT work_id, id, ${common}, 2, execution_id, 'review', 'Review', 'userTask', 'f1', 'waiting', start_time, NULL, NULL, task_id, true FROM bulk`);
  await tx.unsafe(`
    INSERT INTO process_variables (id, instance_id, execution_id, name, type, value_text, created_at, updated_at)
    SELECT gen_random_uuid()::text, id, id, 'group', 'String', '"' || grp || '"', start_time, start_time FROM bulk`);
  await tx.unsafe(`
    INSERT INTO tasks (id, name, process_instance_id, process_definition_id, process_definition_key, task_definition_key, execution_id,
      activity_instance_id, status, created, priority, candidate_groups)
    SELECT task_id, 'Review', id, ${common}, 'review', execution_id, work_id, 'created', start_time, 50, ARRAY[grp] FROM bulk`);
  await tx.unsafe(`
    INSERT INTO task_identity_links (id, task_id, type, group_id)
    SELECT gen_random_uuid()::text, task_id, 'candidate', grp FROM bulk`);
  await tx.unsafe(`
    INSERT INTO audit_log (id, timestamp, process_instance_id, activity_id, process_definition_id, process_definition_key, operation, user_id)
    SELECT gen_random_uuid()::text, start_time, id, 'start', ${common}, 'Start', 'bench-scale' FROM bulk`);
}

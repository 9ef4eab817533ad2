// A command reads most of an instance's rows as JSON (one statement instead of one per table). What it
// loads must be exactly what the driver gives for a plain select, timestamps included, on both backends;
// otherwise every command would see changes that are not there, or lose what is.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.js';
import { JSON_TIMESTAMPS, lockAndLoad } from '../../src/persistence/load-state.js';
import { openDatabase, type OpenedDatabase } from '../../src/persistence/open-database.js';
import type { TableName } from '../../src/persistence/database.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../../src/testing/index.js';

const model = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    id="Definitions_load" targetNamespace="http://example.com/test">
  <bpmn:message id="Message_go" name="go" />
  <bpmn:process id="load_state" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="split" />
    <bpmn:parallelGateway id="split" />
    <bpmn:sequenceFlow id="f2" sourceRef="split" targetRef="review" />
    <bpmn:sequenceFlow id="f3" sourceRef="split" targetRef="work" />
    <bpmn:sequenceFlow id="f4" sourceRef="split" targetRef="receive" />
    <bpmn:userTask id="review" camunda:candidateGroups="reviewers" camunda:dueDate="2031-05-01T10:00:00.123Z" />
    <bpmn:boundaryEvent id="late" attachedToRef="review" cancelActivity="false">
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT5H</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:serviceTask id="work" camunda:type="external" camunda:topic="load" />
    <bpmn:receiveTask id="receive" messageRef="Message_go" />
  </bpmn:process>
</bpmn:definitions>`;

describe.each(testBackends())('loading an instance on %s', (backend) => {
  let database: TestDatabase;
  let opened: OpenedDatabase;
  let instanceId: string;

  beforeAll(async () => {
    database = await createTestDatabase(backend, 'engine/load-state');
    const engine = await createEngine({ ...database.options, jobs: { run: false } });
    try {
      await engine.deploy({ bpmn_xml: model });
      instanceId = (await engine.startInstance({ process_definition_key: 'load_state', variables: { n: { value: 2 ** 40 } } })).id;
      const [task] = await engine.fetchAndLock({ worker_id: 'w', max_tasks: 1, topics: [{ topic_name: 'load', lock_duration: 60_000 }] });
      await engine.failExternalTask(task!.id, { worker_id: 'w', error_message: 'down', retries: 0 });
    } finally {
      // PGlite's directory is one process's at a time: the engine lets go before the test opens it
      await engine.close();
    }
    opened = await openDatabase(database.options);
  });
  afterAll(async () => {
    await opened?.close();
    await database?.drop();
  });

  it('lists every timestamptz column of the tables it reads as JSON', async () => {
    const { rows } = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = current_schema() and data_type = 'timestamp with time zone'`.execute(opened.db);
    for (const [table, columns] of Object.entries(JSON_TIMESTAMPS)) {
      const inSchema = rows.filter((r) => r.table_name === table).map((r) => r.column_name).sort();
      expect([...columns].sort(), table).toEqual(inSchema);
    }
  });

  // the locked load (two statements) and the load of an exclusive store (one) run on either backend
  it.each([false, true])('loads the rows a plain select gives, timestamps as Dates (exclusive store: %s)', async (exclusive) => {
    const [loaded, direct, directInstance] = await opened.db.transaction().execute(async (trx) => {
      const found = await lockAndLoad(trx, instanceId, { exclusive });
      const read = (table: TableName, column = 'process_instance_id') =>
        trx.selectFrom(table).selectAll().where(column as never, '=', instanceId as never).orderBy('id' as never).execute();
      return [found, {
        executions: await read('executions'), process_variables: await read('process_variables', 'instance_id'), tasks: await read('tasks'), external_tasks: await read('external_tasks'),
        event_subscriptions: await read('event_subscriptions'), jobs: await read('jobs'), incidents: await read('incidents'),
        activity_instances: await read('activity_instances'),
      }, await trx.selectFrom('process_instances').selectAll().where('id', '=', instanceId).executeTakeFirstOrThrow()] as const;
    });
    // the instance's own columns, and nothing of the rows that came with them
    expect(loaded!.instance).toEqual(directInstance);
    const definition = { id: loaded!.instance.process_definition_id, key: 'load_state', name: '', version: 1, tenant_id: null };
    const state = loaded!.state(definition, {} as never);
    const sorted = <T extends { id: string }>(rows: Iterable<T>) => [...rows].sort((a, b) => a.id.localeCompare(b.id));

    // each table has rows here, so that a column read wrongly cannot pass unseen
    for (const rows of Object.values(direct)) expect(rows.length).toBeGreaterThan(0);
    expect(sorted(state.executions.values())).toEqual(direct.executions);
    expect(sorted(state.tasks.values())).toEqual(direct.tasks);
    expect(sorted(state.externalTasks.values())).toEqual(direct.external_tasks);
    expect(sorted(state.subscriptions.values())).toEqual(direct.event_subscriptions);
    expect(sorted(state.jobs.values())).toEqual(direct.jobs);
    expect(sorted(state.incidents.values())).toEqual(direct.incidents);
    const durations = direct.activity_instances.filter((a) => a.end_time === null)
      .map((a) => ({ ...a, duration: a.duration === null ? null : Number(a.duration) }));
    expect(sorted(state.activityInstances.values())).toEqual(durations);
    expect(state.tasks.values().next().value!.candidate_groups).toEqual(['reviewers']);
    expect(state.tasks.values().next().value!.due).toEqual(new Date('2031-05-01T10:00:00.123Z'));
    expect(sorted(state.variables.values())).toEqual(direct.process_variables.map((v) => ({ ...v, value_long: v.value_long === null ? null : Number(v.value_long) })));
    expect(state.variables.values().next().value).toMatchObject({ name: 'n', value_long: 2 ** 40 });

    // nothing differs from what was read, so a command that changes nothing writes nothing
    for (const table of [state.executions, state.variables, state.tasks, state.externalTasks, state.subscriptions, state.jobs, state.incidents, state.activityInstances]) {
      expect(table.diff()).toEqual({ inserts: [], updates: [], deletes: [] });
    }
  });

  it('finds the instance and its root by their primary key even in the plan a prepared statement keeps for any id', async () => {
    const taskId = (await opened.db.selectFrom('tasks').select('id').where('process_instance_id', '=', instanceId).executeTakeFirstOrThrow()).id;
    const sequentialScans = await opened.db.transaction().execute(async (trx) => {
      // the plan for any parameters, as made while the store is still small and never analysed
      await sql`set local plan_cache_mode = force_generic_plan`.execute(trx);
      expect((await lockAndLoad(trx, { table: 'tasks', id: taskId }, { exclusive: false }))!.instance.id).toBe(instanceId);
      const { rows } = await sql<{ scans: number }>`
        select seq_scan::int as scans from pg_stat_xact_user_tables where relname = 'process_instances'`.execute(trx);
      return rows[0]!.scans;
    });
    // a scan of every instance at each command on a task, until autovacuum analysed the table
    expect(sequentialScans).toBe(0);
  });
});

// Engine.withTransaction: an embedding service starts instances and completes tasks in its own PostgreSQL
// transaction, beside its own writes. Commit makes both visible, rollback leaves neither, and the work the
// commands hand out (here, an external task for an in-process handler) starts only once the caller commits.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Sql } from 'postgres';
import { createEngine, type Engine, type LockedExternalTask } from '../../src/index.js';
import { createTestDatabase, postgresClient, type TestDatabase } from '../../src/testing/index.js';
import { waitingAtUserTask } from '../support/models.js';

const chargeModel = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="charge" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="charge_card" />
    <bpmn:serviceTask id="charge_card" camunda:type="external" camunda:topic="charge" />
    <bpmn:sequenceFlow id="f2" sourceRef="charge_card" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

class CallerRollback extends Error {}

describe('withTransaction on PostgreSQL', () => {
  let database: TestDatabase;
  let engine: Engine;
  /** the embedding service's own client, with its own table */
  let sql: Sql;
  const charged: LockedExternalTask[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres', 'commands/with-transaction');
    // no sweeps: a job or task the commit does not announce would wait an hour
    engine = await createEngine({ ...database.options, jobs: { sweepIntervalMs: 3_600_000 } });
    await engine.deploy({ bpmn_xml: waitingAtUserTask('approval') });
    await engine.deploy({ bpmn_xml: chargeModel });
    engine.handle('charge', async (task) => {
      charged.push(task);
    });
    sql = await postgresClient(database.options.databaseUrl!, { max: 2, onnotice: () => {} });
    await sql`create table orders (id text primary key, instance_id text, status text not null)`;
  });
  afterAll(async () => {
    await sql?.end();
    await engine?.close();
    await database?.drop();
  });

  const orderStatus = async (id: string) => (await sql`select status from orders where id = ${id}`)[0]?.status;
  const instanceStatus = (id: string) => engine.getInstance(id).then((i) => i.status, (e: { code?: string }) => e.code);

  it('commits the caller\'s rows and the started instance together, and shows neither before', async () => {
    const started = await sql.begin(async (tx) => {
      await tx`insert into orders (id, status) values ('o1', 'placed')`;
      const instance = await engine.withTransaction(tx, (e) => e.startInstance({ process_definition_key: 'approval', business_key: 'o1' }));
      await tx`update orders set instance_id = ${instance.id} where id = 'o1'`;
      // inside the transaction the engine's reads see its own instance; outside, nobody does yet
      expect((await engine.withTransaction(tx, (e) => e.getInstance(instance.id))).status).toBe('active');
      expect(await instanceStatus(instance.id)).toBe('NOT_FOUND');
      return instance;
    });
    expect(await instanceStatus(started.id)).toBe('active');
    expect(await orderStatus('o1')).toBe('placed');
  });

  it('leaves neither the caller\'s rows nor the instance when the caller rolls back', async () => {
    let startedId = '';
    await expect(sql.begin(async (tx) => {
      await tx`insert into orders (id, status) values ('o2', 'placed')`;
      startedId = (await engine.withTransaction(tx, (e) => e.startInstance({ process_definition_key: 'approval', business_key: 'o2' }))).id;
      throw new CallerRollback();
    })).rejects.toBeInstanceOf(CallerRollback);
    expect(startedId).not.toBe('');
    expect(await instanceStatus(startedId)).toBe('NOT_FOUND');
    expect(await orderStatus('o2')).toBeUndefined();
    expect((await engine.listInstances({ business_key: 'o2' })).total).toBe(0);
  });

  it('completes a task with the caller\'s update, or not at all', async () => {
    const instance = await engine.startInstance({ process_definition_key: 'approval', business_key: 'o3' });
    await sql`insert into orders (id, instance_id, status) values ('o3', ${instance.id}, 'placed')`;
    const [task] = (await engine.listTasks({ process_instance_id: instance.id })).data;

    await expect(sql.begin(async (tx) => {
      await tx`update orders set status = 'approved' where id = 'o3'`;
      await engine.withTransaction(tx, (e) => e.completeTask(task!.id, { user_id: 'alice' }));
      throw new CallerRollback();
    })).rejects.toBeInstanceOf(CallerRollback);
    expect(await instanceStatus(instance.id)).toBe('active');
    expect((await engine.getTask(task!.id)).status).not.toBe('completed');
    expect(await orderStatus('o3')).toBe('placed');

    await sql.begin(async (tx) => {
      await tx`update orders set status = 'approved' where id = 'o3'`;
      await engine.withTransaction(tx, (e) => e.completeTask(task!.id, { user_id: 'alice' }));
    });
    expect(await instanceStatus(instance.id)).toBe('completed');
    expect(await orderStatus('o3')).toBe('approved');
  });

  it('undoes a command that fails alone, and the caller\'s transaction goes on', async () => {
    await sql.begin(async (tx) => {
      await tx`insert into orders (id, status) values ('o4', 'placed')`;
      await expect(engine.withTransaction(tx, (e) => e.startInstance({ process_definition_key: 'no_such_process' }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await tx`update orders set status = 'checked' where id = 'o4'`;
    });
    expect(await orderStatus('o4')).toBe('checked');
  });

  it('hands the new external task to its handler once the caller commits', async () => {
    const started = await sql.begin(async (tx) => {
      const instance = await engine.withTransaction(tx, (e) => e.startInstance({ process_definition_key: 'charge', business_key: 'o5' }));
      // the task is not committed: the handler cannot have it
      expect(charged.some((t) => t.process_instance_id === instance.id)).toBe(false);
      return instance;
    });
    // with the sweeps off, only the commit's announcement reaches the handler
    await vi.waitFor(async () => expect(await instanceStatus(started.id)).toBe('completed'), { timeout: 20_000, interval: 50 });
    expect(charged.filter((t) => t.process_instance_id === started.id)).toHaveLength(1);
  });
});

describe('withTransaction on PGlite', () => {
  it('is refused with a clear error: the engine owns the embedded store\'s only connection', async () => {
    const database = await createTestDatabase('pglite', 'commands/with-transaction');
    const engine = await createEngine(database.options);
    try {
      const unused = { unsafe: () => Promise.resolve([]) };
      await expect(engine.withTransaction(unused, async () => undefined)).rejects.toMatchObject({
        code: 'UNAVAILABLE', message: expect.stringContaining('withTransaction joins a PostgreSQL transaction'),
      });
    } finally {
      await engine.close();
      await database.drop();
    }
  });
});

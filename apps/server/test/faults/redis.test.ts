// Faults around the dispatcher, on PostgreSQL with BullMQ on a Redis of the test's own (the shared one on
// 6379 is never restarted): a job row deleted behind the engine's back, and Redis killed under load and
// started again empty. The jobs table is the truth; Redis only holds reminders.
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, freePort, postgresClient, type TestDatabase } from '@dadms/process-engine/testing';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bpmn, CallCounter, countByStatus, faultModel, ONCE_THROUGH, readInstances, ServerProcess, startInstances,
  ThrowawayRedis, uniqueQueuePrefix, waitUntil,
} from './harness.js';

const SWEEP_MS = 500;

/** start → a timer of three seconds (room to delete its row first on a busy machine) → end */
const timerModel = bpmn('deleted_row', `
  <bpmn:process id="deleted_row" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait">
      <bpmn:timerEventDefinition><bpmn:timeDuration>PT3S</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`);

describe('a server on PostgreSQL with BullMQ on a Redis of its own', () => {
  const counter = new CallCounter();
  let redis: ThrowawayRedis;
  let db: TestDatabase;
  let sql: Sql;
  let server: ServerProcess;

  beforeAll(async () => {
    await counter.start();
    redis = new ThrowawayRedis(await freePort());
    await redis.start();
    db = await createTestDatabase('postgres', 'server/faults/redis');
    sql = await postgresClient(db.options.databaseUrl!, { max: 1, onnotice: () => {} });
    server = new ServerProcess(await freePort(), {
      DATABASE_URL: db.options.databaseUrl!,
      REDIS_URL: redis.url,
      JOB_QUEUE_PREFIX: uniqueQueuePrefix('redis'),
      JOB_CONCURRENCY: '16',
      JOB_SWEEP_INTERVAL_MS: String(SWEEP_MS),
      JOB_LOCK_DURATION_MS: '5000',
      JOB_RETRY_BACKOFF_MS: '500',
      CONNECTOR_ALLOWED_URLS: counter.url,
    });
    await server.start();
  }, 180_000);

  afterAll(async () => {
    await server?.kill();
    await redis?.kill();
    await counter.close();
    await sql?.end();
    await db?.drop();
  });

  it('leaves an instance waiting at its timer when the timer\'s row is deleted, and goes on working', async () => {
    await server.expect(201, 'POST', '/definitions', { bpmn_xml: timerModel });
    const logsBefore = server.logs.length;
    const victim = (await server.expect(201, 'POST', '/instances', { process_definition_key: 'deleted_row' })).id as string;
    const control = (await server.expect(201, 'POST', '/instances', { process_definition_key: 'deleted_row' })).id as string;
    const [job] = (await server.expect(200, 'GET', `/jobs?process_instance_id=${victim}`)).data as { id: string; due_at: string }[];
    expect(job).toBeDefined();

    // behind the engine's back, before the timer is due; BullMQ still holds its delayed reminder
    const deleted = await sql`DELETE FROM jobs WHERE id = ${job!.id} AND due_at > now()`;
    expect(deleted.count).toBe(1);

    // the control's timer fires (so the victim's reminder came due as well), then a few more sweeps pass
    await waitUntil('the control instance to complete', async () => (await server.expect(200, 'GET', `/instances/${control}`)).status === 'completed', 30_000, 100);
    await sleep(Math.max(0, Date.parse(job!.due_at) - Date.now()) + 4 * SWEEP_MS);

    const instance = await server.expect(200, 'GET', `/instances/${victim}`);
    expect(instance.status).toBe('active');
    expect(instance.execution_path.map((p: { activity_id: string }) => p.activity_id)).toEqual(['start', 'wait']);
    expect(instance.current_activities.map((a: { activity_id: string }) => a.activity_id)).toEqual(['wait']);
    expect(instance.incidents).toEqual([]);
    expect((await server.expect(200, 'GET', `/jobs?process_instance_id=${victim}`)).data).toEqual([]);
    expect(await server.health()).toBe(200);
    // the reminder that found no row was dropped quietly: nothing logged at warn or above (the engine logs job failures as warnings)
    expect(server.logs.slice(logsBefore).filter((line) => line.level >= 40)).toEqual([]);

    // the instance is intact: it can still be ended by hand
    const terminated = await server.call('DELETE', `/instances/${victim}`);
    expect(terminated.status).toBe(204);
    expect((await server.expect(200, 'GET', `/instances/${victim}`)).status).toBe('externally_terminated');
  }, 120_000);

  it('completes every instance once when Redis is killed under load and comes back empty', async () => {
    const processId = 'redis_restart';
    const count = 300;
    const whileDown = 50;
    await server.expect(201, 'POST', '/definitions', { bpmn_xml: faultModel(processId, counter.url, 'PT2S') });
    const logsBefore = server.logs.length;

    const ids = await startInstances(server, processId, 'redis', count - whileDown);
    // the last async continuations, timers and calls are waiting in Redis, most timers as delayed jobs
    expect(await redis.size()).toBeGreaterThan(0);
    expect(await countByStatus(server, processId, 'completed')).toBeLessThan(count - whileDown);
    await redis.kill();
    const killedAt = Date.now();

    // the API goes on while Redis is away: starts commit; their dispatch fails and is left to the sweeper
    const downIds = await startInstances(server, processId, 'redis-down', whileDown);
    expect(await server.health()).toBe(503);
    await sleep(Math.max(0, 1_000 - (Date.now() - killedAt)));

    // the same port, nothing kept: every delayed job and waiting reminder is gone (the server may write again at once)
    await redis.start();
    const downMs = Date.now() - killedAt;
    expect(await redis.keysRestored()).toBe(0);

    const recoverMs = await waitUntil('every instance to complete', async () => (await countByStatus(server, processId, 'completed')) === count, 180_000, 250);
    expect(await server.health()).toBe(200);

    const instances = await readInstances(server, [...ids, ...downIds]);
    const wrong = instances.filter((i) => i.status !== 'completed' || JSON.stringify(i.path) !== JSON.stringify(ONCE_THROUGH) || i.incidents.length > 0);
    expect(wrong.slice(0, 5)).toEqual([]);
    for (const instance of instances) expect(instance.variables.echoed?.value).toBe(instance.business_key);
    // the server never died, so no call was in flight without its lock: each was made exactly once
    const calls = counter.snapshot();
    expect(calls.size).toBe(count);
    expect([...calls].filter(([, n]) => n !== 1)).toEqual([]);
    expect((await server.expect(200, 'GET', '/jobs?limit=1')).total).toBe(0);

    // what the outage cost in the log: warnings only (failed dispatches and sweeps, left to the next sweep)
    const logged = server.logs.slice(logsBefore).filter((line) => line.level >= 40 && line.req === undefined && line.res === undefined);
    expect(logged.filter((line) => line.level >= 50)).toEqual([]);
    const byMessage = new Map<string, number>();
    for (const line of logged) byMessage.set(String(line.msg), (byMessage.get(String(line.msg)) ?? 0) + 1);
    console.log(
      `[faults] Redis killed with ${count - whileDown} instances started, ${whileDown} more started while it was down (${downMs} ms); ` +
        `all ${count} completed ${recoverMs} ms after it came back; calls made twice: 0; warnings meanwhile: ${JSON.stringify(Object.fromEntries(byMessage))}`,
    );
  }, 300_000);
});

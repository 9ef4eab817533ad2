// The relay: every committed event reaches the Event Manager, the Redis stream (PostgreSQL + Redis) and
// the engine's subscribers once, in commit order; a sink that is down holds back only itself and loses
// nothing; events of a command that rolled back never appear.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine, type PublishedEvent } from '../../src/index.js';
import { openDatabase } from '../../src/persistence/open-database.js';
import { createTestDatabase, dropQueueKeys, testBackends, type TestDatabase } from '../../src/testing/index.js';
import { allEvents, duplicates, eventManager, firstArrivals, streamEvents, subscription } from '../support/event-recorders.js';
import { eventually, redisUrl } from '../support/event-recorders.js';
import { startToEnd, waitingAtUserTask } from '../support/models.js';


const review = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="review" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
    <bpmn:userTask id="check" name="Check" />
    <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const straight = startToEnd('straight');

/** a start with this business key fails at COMMIT, after everything it wrote */
const FAILS_AT_COMMIT = 'fails-at-commit';

async function failAtCommit(database: TestDatabase): Promise<void> {
  const opened = await openDatabase(database.options);
  try {
    await sql.raw(`create function fail_at_commit() returns trigger language plpgsql as $$
      begin raise exception 'this command fails at commit'; end $$`).execute(opened.db);
    await sql.raw(`create constraint trigger fail_at_commit after insert on process_instances
      deferrable initially deferred for each row when (new.business_key = '${FAILS_AT_COMMIT}')
      execute function fail_at_commit()`).execute(opened.db);
  } finally {
    await opened.close();
  }
}

/** a review round: started, claimed, completed with a variable; ends */
async function reviewRound(engine: Engine, n: number): Promise<string> {
  const started = await engine.startInstance({ process_definition_key: 'review', business_key: `r-${n}`, variables: { n: { value: n } } });
  const [task] = (await engine.listTasks({ process_instance_id: started.id })).data;
  await engine.claimTask(task!.id, 'alice');
  await engine.completeTask(task!.id, { variables: { approved: { value: n % 2 === 0 } } });
  return started.id;
}

const ids = (events: PublishedEvent[]) => events.map((e) => e.id);
const ofInstance = (events: PublishedEvent[], id: string) => events.filter((e) => e.instance_id === id).map((e) => `${e.type}:${e.id}`);

for (const backend of testBackends()) {
  describe(`event delivery on ${backend}${backend === 'postgres' ? ' with Redis' : ''}`, () => {
    const manager = eventManager();
    const withRedis = backend === 'postgres';
    const streamKey = `test-events-${randomUUID()}`;
    const queuePrefix = `test-${randomUUID()}`;
    let database: TestDatabase;
    let engine: Engine;
    let watched: ReturnType<typeof subscription>;

    beforeAll(async () => {
      database = await createTestDatabase(backend, 'event-delivery');
      await failAtCommit(database);
      engine = await createEngine({
        ...database.options,
        ...(withRedis ? { redisUrl, jobs: { queuePrefix } } : {}),
        events: { eventManagerUrl: manager().url, redisStreamKey: streamKey, pollIntervalMs: 200 },
      });
      watched = subscription(engine);
    });
    afterAll(async () => {
      watched.stop();
      await engine.close();
      await database.drop();
      if (withRedis) {
        await dropQueueKeys(redisUrl, queuePrefix);
        const redis = new Redis(redisUrl);
        await redis.del(streamKey);
        redis.disconnect();
      }
    });

    it('delivers every event of a scenario once to each sink and subscriber, in commit order, with the seed\'s fields', async () => {
      // the Event Manager's first answers fail: those batches come again
      manager().refuseNext(2);
      for (const model of [review, straight, waitingAtUserTask('hold')]) await engine.deploy({ bpmn_xml: model });
      const rounds = await Promise.all([1, 2, 3, 4, 5].map((n) => reviewRound(engine, n)));
      const held = await engine.startInstance({ process_definition_key: 'hold' });
      await engine.terminateInstance(held.id, { reason: 'not needed' });
      const committed = await allEvents(engine);

      await expect.poll(() => firstArrivals(manager().acknowledged).length, eventually).toBe(committed.length);
      expect(manager().refused).toBeGreaterThanOrEqual(2);
      // a batch is sent again only after a failure: an answer slower than the request's timeout on a busy machine
      expect(firstArrivals(manager().acknowledged)).toEqual(ids(committed));
      console.log(`${backend}: ${duplicates(manager().acknowledged)} duplicates of ${committed.length} events at the Event Manager after ${manager().refused} refused batches`);
      await expect.poll(() => watched.events.length, eventually).toBe(committed.length);
      expect(watched.events).toEqual(committed);
      if (withRedis) {
        await expect.poll(async () => (await streamEvents(redisUrl, streamKey)).length, eventually).toBe(committed.length);
        expect(await streamEvents(redisUrl, streamKey)).toEqual(committed);
      }

      expect(committed.map((e) => Number(e.id))).toEqual(committed.map((e) => Number(e.id)).sort((a, b) => a - b));
      expect(new Set(committed.map((e) => e.type))).toEqual(new Set([
        'process_manager.definition.deployed', 'process_manager.instance.started', 'process_manager.task.created',
        'process_manager.task.assigned', 'process_manager.task.completed', 'process_manager.instance.completed',
        'process_manager.analytics.performance', 'process_manager.instance.terminated',
      ]));
      for (const [i, id] of rounds.entries()) {
        const types = ofInstance(committed, id).map((t) => t.split(':')[0]!.replace('process_manager.', ''));
        expect(types).toEqual([
          'instance.started', 'analytics.performance', 'task.created', 'task.assigned', 'task.completed',
          'analytics.performance', 'analytics.performance', 'instance.completed',
        ]);
        const completed = committed.find((e) => e.instance_id === id && e.type === 'process_manager.task.completed')!;
        expect(completed).toMatchObject({ task_name: 'Check', completed_by: 'alice', variables: { approved: (i + 1) % 2 === 0 }, tenant_id: null });
        expect(completed.duration).toBeTypeOf('number');
        const ended = committed.find((e) => e.instance_id === id && e.type === 'process_manager.instance.completed')!;
        expect(ended).toMatchObject({ process_definition_key: 'review', business_key: `r-${i + 1}`, end_state: 'completed' });
        expect(ended.duration).toBeTypeOf('number');
      }
      const task = committed.find((e) => e.type === 'process_manager.analytics.performance' && e.activity_id === 'check')!;
      expect(task).toMatchObject({ process_definition_key: 'review', activity_type: 'userTask', performance_metrics: { efficiency: { automation_rate: 0 } } });
      expect(committed.find((e) => e.type === 'process_manager.instance.terminated')).toMatchObject({
        instance_id: held.id, end_state: 'externally_terminated', reason: 'not needed',
      });
    });

    it('resumes a page after an event id, and filters by type and instance', async () => {
      const committed = await allEvents(engine);
      const middle = committed[Math.floor(committed.length / 2)]!;
      const after = await engine.listEvents({ after: middle.id, limit: 1000 });
      expect(after.data).toEqual(committed.slice(committed.indexOf(middle) + 1));
      expect(after.total).toBe(after.data.length);
      const created = await engine.listEvents({ types: ['process_manager.task.created'], limit: 1000 });
      // five review rounds and the instance held at its task
      expect(created.data.map((e) => e.type)).toEqual(Array(6).fill('process_manager.task.created'));
      const oneInstance = await engine.listEvents({ process_instance_id: middle.instance_id ?? committed[1]!.instance_id, limit: 1000 });
      expect(oneInstance.data.length).toBeGreaterThan(0);
      expect(new Set(oneInstance.data.map((e) => e.instance_id)).size).toBe(1);
      await expect(engine.listEvents({ after: 'x1' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    });

    it('publishes no event of a command that rolled back, while the commands beside it commit theirs', async () => {
      const before = (await allEvents(engine)).length;
      const fine = Array.from({ length: 10 }, () => engine.startInstance({ process_definition_key: 'straight', business_key: 'fine' }));
      // a turn of the event loop later, so that it does not share their transaction (group commit), where all would fail with it
      await new Promise((resolve) => setImmediate(resolve));
      const failing = engine.startInstance({ process_definition_key: 'straight', business_key: FAILS_AT_COMMIT });
      const outcomes = await Promise.allSettled([...fine, failing]);
      expect(outcomes.map((o) => o.status)).toEqual([...fine.map(() => 'fulfilled'), 'rejected']);
      const started = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.id] : []));
      const committed = (await allEvents(engine)).slice(before);
      const startedEvents = committed.filter((e) => e.type === 'process_manager.instance.started');
      expect(startedEvents.map((e) => e.instance_id).sort()).toEqual([...started].sort());
      expect(startedEvents.every((e) => e.business_key === 'fine')).toBe(true);
      await expect.poll(() => firstArrivals(manager().acknowledged).slice(-committed.length), eventually).toEqual(ids(committed));
      expect(manager().acknowledged.some((e) => e.business_key === FAILS_AT_COMMIT)).toBe(false);
      expect(watched.events.some((e) => e.business_key === FAILS_AT_COMMIT)).toBe(false);
    });

    it('keeps a refusing Event Manager\'s backlog without holding back the other sinks, and drains it when it is back', async () => {
      const before = manager().acknowledged.length;
      manager().up = false;
      const load = await Promise.all(Array.from({ length: 100 }, () => engine.startInstance({ process_definition_key: 'straight' })));
      const committed = await allEvents(engine);
      // the subscribers (and Redis) have every event while the Event Manager refuses
      await expect.poll(() => watched.events.length, eventually).toBe(committed.length);
      if (withRedis) await expect.poll(async () => (await streamEvents(redisUrl, streamKey)).length, eventually).toBe(committed.length);
      await expect.poll(async () => (await engine.eventSinks()).event_manager, eventually).toMatchObject({ status: 'unhealthy' });
      expect((await engine.eventSinks()).event_manager!.waiting).toBeGreaterThanOrEqual(load.length * 4);
      expect(manager().acknowledged.length).toBe(before);

      manager().up = true;
      await expect.poll(() => firstArrivals(manager().acknowledged).length, eventually).toBe(committed.length);
      expect(firstArrivals(manager().acknowledged)).toEqual(ids(committed));
      console.log(`${backend}: ${duplicates(manager().acknowledged)} duplicates of ${committed.length} events at the Event Manager after it came back`);
      await expect.poll(async () => (await engine.eventSinks()).event_manager, eventually).toEqual({ status: 'healthy', waiting: 0 });
      if (withRedis) expect((await engine.eventSinks()).redis).toEqual({ status: 'healthy', waiting: 0 });
    });
  });
}

// Two engines on one PostgreSQL database, both delivering to the same Event Manager and Redis stream:
// each event arrives, in commit order; a duplicate is at most a batch sent again when the turn to
// deliver passed from one engine to the other. Each engine's subscribers hear the other's events too.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine, type EngineOptions } from '../../src/index.js';
import { createTestDatabase, dropQueueKeys, testBackends, type TestDatabase } from '../../src/testing/index.js';
import { allEvents, duplicates, eventManager, eventually, firstArrivals, redisUrl, streamEvents, subscription } from '../support/event-recorders.js';
import { startToEnd } from '../support/models.js';


const straight = startToEnd('straight');

describe.runIf(testBackends().includes('postgres'))('two engines on one PostgreSQL database', () => {
  const manager = eventManager();
  const streamKey = `test-events-${randomUUID()}`;
  const queuePrefix = `test-${randomUUID()}`;
  let database: TestDatabase;
  let engines: Engine[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres', 'two-engines');
    // a short lease, so that the turn to deliver changes hands during the test
    const options: EngineOptions = {
      ...database.options, redisUrl, jobs: { queuePrefix },
      events: { eventManagerUrl: manager().url, redisStreamKey: streamKey, pollIntervalMs: 100, sinkLeaseMs: 1_000 },
    };
    engines = await Promise.all([createEngine(options), createEngine(options)]);
  });
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.close()));
    await database.drop();
    await dropQueueKeys(redisUrl, queuePrefix);
    const redis = new Redis(redisUrl);
    await redis.del(streamKey);
    redis.disconnect();
  });

  it('delivers every event of commands run on both, in commit order, and each engine\'s subscribers hear them all', async () => {
    const [a, b] = engines as [Engine, Engine];
    const watched = engines.map(subscription);
    await a.deploy({ bpmn_xml: straight });
    await Promise.all(Array.from({ length: 300 }, (_, i) => (i % 2 ? a : b).startInstance({ process_definition_key: 'straight' })));
    const together = await allEvents(b);
    for (const { events } of watched) await expect.poll(() => events.map((e) => e.id), eventually).toEqual(together.map((e) => e.id));
    // one engine closes: the other delivers what is left and what comes, whichever held the turn
    await a.close();
    await Promise.all(Array.from({ length: 100 }, () => b.startInstance({ process_definition_key: 'straight' })));
    const committed = await allEvents(b);
    expect(committed.length).toBe(1 + 400 * 4);

    await expect.poll(() => firstArrivals(manager().acknowledged).length, eventually).toBe(committed.length);
    expect(firstArrivals(manager().acknowledged)).toEqual(committed.map((e) => e.id));
    await expect.poll(async () => firstArrivals(await streamEvents(redisUrl, streamKey)).length, eventually).toBe(committed.length);
    const stream = await streamEvents(redisUrl, streamKey);
    expect(firstArrivals(stream)).toEqual(committed.map((e) => e.id));
    await expect.poll(() => watched[1]!.events.map((e) => e.id), eventually).toEqual(committed.map((e) => e.id));
    console.log(`two engines, ${committed.length} events: ${duplicates(manager().acknowledged)} duplicates at the Event Manager, ${duplicates(stream)} in the Redis stream`);
    expect(duplicates(manager().acknowledged)).toBeLessThanOrEqual(100);
    for (const w of watched) w.stop();
  });
});

describe.runIf(testBackends().includes('postgres'))('two engines on one PostgreSQL database, neither polling', () => {
  let database: TestDatabase;
  let engines: Engine[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres', 'two-engines-notified');
    // no poll within the test: an engine hears of the other's events only when told
    const options: EngineOptions = { ...database.options, jobs: { run: false }, events: { pollIntervalMs: 3_600_000 } };
    engines = await Promise.all([createEngine(options), createEngine(options)]);
  });
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.close()));
    await database.drop();
  });

  it('tells the other engine of its commands\' events once it has positioned them', async () => {
    const [a] = engines as [Engine, Engine];
    const watched = engines.map(subscription);
    await a.deploy({ bpmn_xml: straight });
    const started = await Promise.all(Array.from({ length: 20 }, () => a.startInstance({ process_definition_key: 'straight' })));
    const completedOf = (events: { type: string; instance_id?: string | null }[]) =>
      events.filter((e) => e.type === 'process_manager.instance.completed').map((e) => e.instance_id).sort();
    const expected = started.map((i) => i.id).sort();
    // each engine hands the events to its subscribers in a pass of its own: the other one's may come first
    for (const { events } of watched) await expect.poll(() => completedOf(events), { timeout: 10_000, interval: 50 }).toEqual(expected);
    for (const w of watched) w.stop();
  });
});

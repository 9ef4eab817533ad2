// On the embedded store a command's events get their positions as its transaction commits. Events written
// otherwise (on PostgreSQL; a deployment's; those an earlier version of the engine left for the relay) get
// them from the relay: at each poll when there is no sink or subscriber, or as they are listed.
// A backlog of thousands (polls far apart, or events of a process that died) is positioned a batch at a
// time with a turn of the event loop between batches: on PGlite, whose statements hold the thread, commands
// otherwise waited for the whole backlog (seconds after a minute of load).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/index.js';
import { openDatabase } from '../../src/persistence/open-database.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../../src/testing/index.js';
import { embeddedStoreAfter } from '../support/embedded-store-after.js';
import { startToEnd } from '../support/models.js';

/** a start → end instance writes four events; a positioning batch takes 2,000 */
const INSTANCES = 1_500;

describe.each(testBackends())('a backlog of events to position on %s', (backend) => {
  let database: TestDatabase;
  let engine: Engine;

  beforeAll(async () => {
    database = await createTestDatabase(backend, 'events/positioning-backlog');
    // no poll within the test: the backlog waits for the listing
    const options = { ...database.options, jobs: { run: false }, events: { pollIntervalMs: 3_600_000 } };
    const writer = await createEngine(options);
    try {
      await writer.deploy({ bpmn_xml: startToEnd('backlog') });
      for (let i = 0; i < INSTANCES; i += 100) {
        await Promise.all(Array.from({ length: 100 }, () => writer.startInstance({ process_definition_key: 'backlog' })));
      }
    } finally {
      await writer.close();
    }
    // as an earlier version of the engine left its events: every one of them for the relay to position
    const store = await openDatabase(database.options);
    try {
      await sql`update outbox set position = null`.execute(store.db);
      await sql`update outbox_positions set last_position = 0`.execute(store.db);
    } finally {
      await store.close();
    }
    engine = await createEngine(options);
  });
  afterAll(async () => {
    await engine?.close();
    await database?.drop();
  });

  it('lets a command committed meanwhile finish before the listing that positions it all, and lists every event', async () => {
    const finished: string[] = [];
    const listing = engine.listEvents({ limit: 1 }).then((page) => {
      finished.push('listing');
      return page;
    });
    const started = engine.startInstance({ process_definition_key: 'backlog' }).then((instance) => {
      finished.push('start');
      return instance;
    });
    const [page, instance] = await Promise.all([listing, started]);
    expect(finished).toEqual(['start', 'listing']);
    expect(instance.status).toBe('completed');
    expect(page.total).toBeGreaterThanOrEqual(INSTANCES * 4);
  });
});

describe('events without a subscriber on the embedded store', () => {
  const storeAfter = embeddedStoreAfter('events/positioning-poll');

  /** events left without a position after a few instances and a few polls' time */
  const unpositionedAfter = (pollIntervalMs: number) => storeAfter({ jobs: { run: false }, events: { pollIntervalMs } }, async (engine) => {
    await engine.deploy({ bpmn_xml: startToEnd('polled') });
    for (let i = 0; i < 10; i++) await engine.startInstance({ process_definition_key: 'polled' });
    await new Promise((resolve) => setTimeout(resolve, 300));
  }, async (db) => Number((await sql<{ n: number }>`select count(*)::int as n from outbox where position is null`.execute(db)).rows[0]!.n));

  it('get their positions at the next poll, not only when listed or grown old', async () => {
    expect(await unpositionedAfter(50)).toBe(0);
    // the deployment's event: the instances' were positioned as their commands committed
    expect(await unpositionedAfter(3_600_000)).toBe(1);
  });
});

describe.runIf(testBackends().includes('pglite'))('events of commands on the embedded store', () => {
  let database: TestDatabase;
  let engine: Engine;

  beforeAll(async () => {
    database = await createTestDatabase('pglite', 'events/positioned-at-commit');
    // no poll, no subscriber: only the commands give positions
    engine = await createEngine({ ...database.options, jobs: { run: false }, events: { pollIntervalMs: 3_600_000 } });
    await engine.deploy({ bpmn_xml: startToEnd('at-commit') });
  });
  afterAll(async () => {
    await engine?.close();
    await database?.drop();
  });

  it('get their positions as they commit: unbroken, unique, and in the order each instance wrote them', async () => {
    // many at once, so that they share transactions
    const started = await Promise.all(Array.from({ length: 200 }, () => engine.startInstance({ process_definition_key: 'at-commit' })));
    const events = (await engine.listEvents({ limit: 1_000 })).data;
    expect(events.map((e) => Number(e.id))).toEqual(events.map((_, i) => i + 1));
    // the deployment's event, written first and positioned only now by the listing, comes after them all
    expect(events.at(-1)!.type).toBe('process_manager.definition.deployed');
    expect(events.length).toBe(200 * 4 + 1);
    for (const { id } of started) {
      expect(events.filter((e) => e.instance_id === id).map((e) => e.type)).toEqual([
        'process_manager.instance.started', 'process_manager.analytics.performance', 'process_manager.analytics.performance', 'process_manager.instance.completed',
      ]);
    }
  });
});

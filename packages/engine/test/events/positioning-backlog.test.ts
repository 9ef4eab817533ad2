// On the embedded store a command's events get their positions as its transaction commits. Events written
// otherwise (on PostgreSQL; those an earlier version of the engine left for the relay) get them from the
// relay: at each poll when there is no sink or subscriber, or as they are listed.
// A backlog of thousands (polls far apart, or events of a process that died) is positioned a batch at a
// time with a turn of the event loop between batches: on PGlite, whose statements hold the thread, commands
// otherwise waited for the whole backlog (seconds after a minute of load).
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/index.js';
import type { Database } from '../../src/persistence/database.js';
import { openDatabase } from '../../src/persistence/open-database.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../../src/testing/index.js';
import { startToEnd } from '../support/models.js';

/** a start → end instance writes four events; a positioning batch takes 2,000 */
const INSTANCES = 1_500;

/** the store opened while no engine has it (PGlite's directory is one process's at a time) */
async function onStore<T>(database: TestDatabase, read: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const store = await openDatabase(database.options);
  try {
    return await read(store.db);
  } finally {
    await store.close();
  }
}

/** every event made as an earlier version of the engine left them, for the relay to position */
const leftWithoutPositions = (database: TestDatabase) => onStore(database, async (db) => {
  await sql`update outbox set position = null`.execute(db);
  await sql`update outbox_positions set last_position = 0`.execute(db);
});

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
    await leftWithoutPositions(database);
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

describe('events without a position and without a subscriber, on the embedded store', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  /** of the events of a deployment and ten instances, left without positions, those still without one after an engine ran a while */
  const unpositionedAfter = async (pollIntervalMs: number) => {
    const database = await createTestDatabase('pglite', 'events/positioning-poll');
    databases.push(database);
    const writer = await createEngine({ ...database.options, jobs: { run: false } });
    try {
      await writer.deploy({ bpmn_xml: startToEnd('polled') });
      for (let i = 0; i < 10; i++) await writer.startInstance({ process_definition_key: 'polled' });
    } finally {
      await writer.close();
    }
    await leftWithoutPositions(database);
    const engine = await createEngine({ ...database.options, jobs: { run: false }, events: { pollIntervalMs } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await engine.close();
    return onStore(database, async (db) => Number((await sql<{ n: number }>`select count(*)::int as n from outbox where position is null`.execute(db)).rows[0]!.n));
  };

  it('get their positions at the next poll, not only when listed or grown old', async () => {
    expect(await unpositionedAfter(50)).toBe(0);
    expect(await unpositionedAfter(3_600_000)).toBe(1 + 10 * 4);
  });
});

describe.runIf(testBackends().includes('pglite'))('events of commands on the embedded store', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('pglite', 'events/positioned-at-commit');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('get their positions as their transactions commit: unbroken, the deployment first, each instance\'s in the order it wrote them', async () => {
    // no poll, no subscriber, no listing: only the commands give positions
    const engine = await createEngine({ ...database.options, jobs: { run: false }, events: { pollIntervalMs: 3_600_000 } });
    let started: string[];
    try {
      await engine.deploy({ bpmn_xml: startToEnd('at-commit') });
      // many at once, so that they share transactions
      started = (await Promise.all(Array.from({ length: 200 }, () => engine.startInstance({ process_definition_key: 'at-commit' })))).map((i) => i.id);
    } finally {
      await engine.close();
    }
    const rows = await onStore(database, async (db) => (await sql<{ type: string; instance: string | null; position: string | number | null }>`
      select type, process_instance_id as instance, position from outbox order by seq`.execute(db)).rows);
    expect(rows.filter((r) => r.position === null)).toEqual([]);
    const positions = rows.map((r) => Number(r.position));
    expect([...positions].sort((a, b) => a - b)).toEqual(rows.map((_, i) => i + 1));
    expect([rows[0]!.type, positions[0]]).toEqual(['process_manager.definition.deployed', 1]);
    for (const id of started) {
      const own = rows.filter((r) => r.instance === id);
      expect(own.map((r) => r.type)).toEqual([
        'process_manager.instance.started', 'process_manager.analytics.performance', 'process_manager.analytics.performance', 'process_manager.instance.completed',
      ]);
      const ownPositions = own.map((r) => Number(r.position));
      expect(ownPositions).toEqual([...ownPositions].sort((a, b) => a - b));
    }
  });
});

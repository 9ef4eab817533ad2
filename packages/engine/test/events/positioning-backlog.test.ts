// Without a sink or subscriber, events get their positions only when they are listed or grow old, so a
// while of load leaves a backlog of thousands. Positioning it goes a batch at a time with a turn of the event
// loop between batches: on PGlite, whose statements hold the thread, commands otherwise waited for the
// whole backlog (seconds after a minute of load).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/index.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../../src/testing/index.js';
import { startToEnd } from '../support/models.js';

/** a start → end instance writes four events; a positioning batch takes 2,000 */
const INSTANCES = 1_500;

describe.each(testBackends())('a backlog of events to position on %s', (backend) => {
  let database: TestDatabase;
  let engine: Engine;

  beforeAll(async () => {
    database = await createTestDatabase(backend, 'events/positioning-backlog');
    engine = await createEngine({ ...database.options, jobs: { run: false } });
    await engine.deploy({ bpmn_xml: startToEnd('backlog') });
    for (let i = 0; i < INSTANCES; i += 100) {
      await Promise.all(Array.from({ length: 100 }, () => engine.startInstance({ process_definition_key: 'backlog' })));
    }
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

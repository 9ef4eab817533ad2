// PGlite runs no autovacuum, so the engine vacuums its store by autovacuum's rules: what deletes and updates
// leave behind is made free again, and the planner gets statistics. Only the embedded store needs this; on
// PostgreSQL the server's autovacuum does it.
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.js';
import { vacuumDueTables } from '../../src/persistence/store-vacuum.js';
import { embeddedStoreAfter } from '../support/embedded-store-after.js';
import { waitingAtUserTask } from '../support/models.js';
import { scratchDatabase, type Scratch } from '../support/scratch-database.js';

const ROWS = 1000;
const fill = (db: Kysely<Scratch>, from: number) =>
  sql`insert into scratch select g, repeat('x', 200) from generate_series(${from}::int, ${from + ROWS - 1}::int) g`.execute(db);
const scratchBytes = async (db: Kysely<Scratch>) =>
  (await sql<{ bytes: number }>`select pg_relation_size('scratch')::int as bytes`.execute(db)).rows[0]!.bytes;

describe('vacuuming the embedded store', () => {
  const opened = scratchDatabase('pglite', 'persistence/store-vacuum');

  it('vacuums and analyses a table once enough of its rows changed, and the space of deleted rows is used again', async () => {
    const db = opened().db as unknown as Kysely<Scratch>;
    await fill(db, 1);
    await sql`delete from scratch`.execute(db);
    const bytes = await scratchBytes(db);

    const pass = await vacuumDueTables(opened().db);
    expect(pass.vacuumed).toContain('public.scratch');
    expect(pass.analyzed).toContain('public.scratch');
    // nothing changed since: nothing is due
    const next = await vacuumDueTables(opened().db);
    expect(next.vacuumed).not.toContain('public.scratch');
    expect(next.analyzed).not.toContain('public.scratch');

    // as many rows again fit where the deleted ones were; without the vacuum the table doubled
    await fill(db, ROWS + 1);
    expect(await scratchBytes(db)).toBe(bytes);
  });

  it('leaves a table alone while few of its rows changed', async () => {
    const db = opened().db as unknown as Kysely<Scratch>;
    await vacuumDueTables(opened().db);
    await sql`update scratch set label = 'y' where id <= 10`.execute(db);
    const pass = await vacuumDueTables(opened().db);
    expect(pass.vacuumed).not.toContain('public.scratch');
    expect(pass.analyzed).not.toContain('public.scratch');
  });
});

describe('the engine on the embedded store', () => {
  const storeAfter = embeddedStoreAfter('persistence/store-vacuum-engine');

  /** pg_class.reltuples of each table after the engine ran instances: -1 for a table never vacuumed or analysed */
  const tuplesAfterInstances = (vacuumIntervalMs: number) => storeAfter({ vacuumIntervalMs }, async (engine) => {
    await engine.deploy({ bpmn_xml: waitingAtUserTask('vacuumed') });
    for (let i = 0; i < 40; i++) {
      const instance = await engine.startInstance({ process_definition_key: 'vacuumed' });
      const [task] = (await engine.listTasks({ process_instance_id: instance.id })).data;
      await engine.completeTask(task!.id);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }, async (db) => {
    const { rows } = await sql<{ relname: string; reltuples: number }>`
      select relname, reltuples::int as reltuples from pg_class where relname in ('executions', 'tasks')`.execute(db);
    return Object.fromEntries(rows.map((r) => [r.relname, r.reltuples]));
  });

  it('vacuums the tables its commands changed, between commands', async () => {
    // each completion deletes the instance's two executions, and writes its task a second time: a pass
    // while the instances ran counted the rows there were then
    const tuples = await tuplesAfterInstances(50);
    expect(tuples.executions).toBeGreaterThanOrEqual(0);
    expect(tuples.tasks).toBeGreaterThan(0);
  });

  it('vacuums nothing with vacuumIntervalMs 0', async () => {
    expect(await tuplesAfterInstances(0)).toEqual({ executions: -1, tasks: -1 });
  });

  it('refuses an interval that is not one', async () => {
    await expect(createEngine({ vacuumIntervalMs: Number.NaN })).rejects.toMatchObject({ code: 'VALIDATION_ERROR', message: 'vacuumIntervalMs must be 0 or more' });
  });
});

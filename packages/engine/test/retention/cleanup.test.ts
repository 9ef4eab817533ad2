// Retention: ended instances get a removal time from their process's camunda:historyTimeToLive or the
// engine's default, and the cleanup removes exactly those past it, with everything they own, a batch of
// roots per transaction.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/index.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../../src/testing/index.js';
import {
  calling, clockAt, completeTasks, DAY_MS, NONE, openEngine, ownership, removalTimes, rowCounts, withIncident, withTask,
} from './support.js';

const T0 = new Date('2026-05-01T08:00:00.000Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY_MS).toISOString();

describe.each(testBackends())('retention on %s', (backend) => {
  let database: TestDatabase | undefined;
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    await database?.drop();
    engine = undefined;
  });

  it('removes exactly the instances past their removal time, with everything they own, in batches', async () => {
    database = await createTestDatabase(backend, 'retention/cleanup');
    const clock = clockAt(T0);
    engine = await openEngine(database, clock, { retention: { historyTimeToLiveDays: 10 } });
    for (const xml of [
      withTask('short', '2'), withTask('iso', 'P5D'), withTask('unset'), withIncident('failing', '2'),
      withTask('called', '100'), calling('caller', 'called', '1'),
    ]) await engine.deploy({ bpmn_xml: xml });
    const start = async (key: string) => (await engine!.startInstance({ process_definition_key: key, variables: { n: { value: 1 } } })).id;

    const shortAtT0 = await start('short');
    const shortAtDay3 = await start('short');
    const unset = await start('unset');
    const iso = await start('iso');
    const failing = await start('failing');
    const caller = await start('caller');
    const [called] = (await engine.listInstances({ super_instance_id: caller })).data;
    const running = await start('short');
    // each ends at its time: the removal time is its end plus its process's TTL (the caller's for what it called)
    await completeTasks(engine, shortAtT0);
    await completeTasks(engine, unset);
    await completeTasks(engine, called!.id);
    const [incident] = (await engine.listIncidents({ process_instance_id: failing })).data;
    await engine.resolveIncident(incident!.id, { resolution_type: 'abort' });
    clock.advance(1);
    await completeTasks(engine, iso);
    clock.advance(2);
    await completeTasks(engine, shortAtDay3);
    // the answers show it too
    expect((await engine.getInstance(shortAtDay3)).removal_time).toBe(at(5));
    expect((await engine.listInstances({ process_definition_key: 'iso' })).data.map((i) => i.removal_time)).toEqual([at(6)]);
    expect((await engine.getInstance(running)).removal_time).toBeUndefined();
    await engine.close();

    const all = [shortAtT0, shortAtDay3, unset, iso, failing, caller, called!.id, running];
    expect(await removalTimes(database, all)).toEqual({
      [shortAtT0]: at(2), [shortAtDay3]: at(5), [unset]: at(10), [iso]: at(6), [failing]: at(2), [caller]: at(1),
      [called!.id]: null, [running]: null,
    });
    const expired = await ownership(database, [caller, called!.id, shortAtT0, failing, shortAtDay3]);
    const kept = await ownership(database, [unset, iso, running]);
    const expiredBefore = await rowCounts(database, expired);
    // every kind of row an instance owns is there to be removed
    for (const table of ['process_instances', 'process_variables', 'tasks', 'task_identity_links', 'incidents', 'incident_history',
      'activity_instances', 'audit_log', 'outbox']) expect(expiredBefore[table], table).toBeGreaterThan(0);
    const keptBefore = await rowCounts(database, kept);
    expect(keptBefore.jobs + keptBefore.executions).toBeGreaterThan(0);

    clock.advance(2.5); // day 5.5: past day 5, before day 6
    engine = await openEngine(database, clock);
    // one batch of three roots: the earliest removal times (the caller with what it called, then both at day 2)
    expect(await engine.removeExpiredHistory({ batchSize: 3, maxBatches: 1 })).toEqual({ removed: 4, decision_instances_removed: 0, batches: 1 });
    expect((await engine.listInstances({})).data.map((i) => i.id).sort()).toEqual([shortAtDay3, unset, iso, running].sort());
    expect(await engine.removeExpiredHistory({ batchSize: 3 })).toEqual({ removed: 1, decision_instances_removed: 0, batches: 1 });
    expect(await engine.removeExpiredHistory({ batchSize: 3 })).toEqual({ removed: 0, decision_instances_removed: 0, batches: 0 });
    await engine.close();

    expect(await rowCounts(database, expired)).toEqual(NONE);
    expect(await rowCounts(database, kept)).toEqual(keptBefore);
  });

  it('runs batches until none is due, each of at most the batch size', async () => {
    database = await createTestDatabase(backend, 'retention/batches');
    const clock = clockAt(T0);
    engine = await openEngine(database, clock, { retention: { historyTimeToLiveDays: 1 } });
    await engine.deploy({ bpmn_xml: withTask('daily') });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await engine.startInstance({ process_definition_key: 'daily' })).id);
    for (const id of ids) await completeTasks(engine, id);
    clock.advance(1);
    expect(await engine.removeExpiredHistory({ batchSize: 2 })).toEqual({ removed: 5, decision_instances_removed: 0, batches: 3 });
    expect((await engine.listInstances({})).total).toBe(0);
  });

  it('keeps ended instances for ever when neither the process nor the engine names a TTL', async () => {
    database = await createTestDatabase(backend, 'retention/forever');
    const clock = clockAt(T0);
    engine = await openEngine(database, clock);
    await engine.deploy({ bpmn_xml: withTask('kept') });
    const { id } = await engine.startInstance({ process_definition_key: 'kept' });
    await completeTasks(engine, id);
    clock.advance(100_000);
    expect(await engine.removeExpiredHistory()).toEqual({ removed: 0, decision_instances_removed: 0, batches: 0 });
    expect((await engine.getInstance(id)).status).toBe('completed');
    await engine.close();
    engine = undefined;
    expect(await removalTimes(database, [id])).toEqual({ [id]: null });
  });

  it('cleans by itself every cleanupIntervalMs', async () => {
    database = await createTestDatabase(backend, 'retention/interval');
    const clock = clockAt(T0);
    engine = await openEngine(database, clock, { retention: { historyTimeToLiveDays: 0, cleanupIntervalMs: 50 } });
    await engine.deploy({ bpmn_xml: withTask('brief') });
    const { id } = await engine.startInstance({ process_definition_key: 'brief' });
    await completeTasks(engine, id);
    const deadline = Date.now() + 10_000;
    while ((await engine.listInstances({})).total > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    await expect(engine.getInstance(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses settings that cannot be a retention, or a bad allowed URL, before opening the database', async () => {
    const dataDir = join(tmpdir(), `never-opened-${randomUUID()}`);
    for (const retention of [{ historyTimeToLiveDays: -1 }, { historyTimeToLiveDays: Number.NaN }, { cleanupBatchSize: 0 }, { cleanupIntervalMs: -5 }]) {
      await expect(createEngine({ dataDir, retention }), JSON.stringify(retention)).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    }
    await expect(createEngine({ dataDir, httpConnector: { allowedUrls: ['ftp://files.example'] } }))
      .rejects.toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining('httpConnector.allowedUrls') });
    expect(existsSync(dataDir)).toBe(false);
  });
});

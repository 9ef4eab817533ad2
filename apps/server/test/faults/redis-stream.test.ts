// The Redis stream sink while Redis is down for 30 s under load, on PostgreSQL with a redis-server of the
// test's own (the shared one is never stopped), which keeps an append-only file so that what it took
// before it died is still there when it comes back. Commands go on committing meanwhile; their events wait
// in the outbox, /health shows the sink's growing backlog, and once Redis is back the backlog drains:
// every committed event is in the stream, each instance's in commit order. Duplicates are counted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, freePort, testBackends, type TestDatabase } from '@dadms/process-engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startToEndModel } from '../models.js';
import { readAllEvents, ServerProcess, streamEventIds, ThrowawayRedis, uniqueQueuePrefix, waitUntil, type PublishedEvent } from './harness.js';

const DOWN_MS = 30_000;
const STREAM_KEY = 'process_manager:events';

interface SinkHealth {
  status: number;
  redis?: { status: string; waiting: number };
}

describe.runIf(testBackends().includes('postgres'))('the Redis stream sink with Redis stopped for 30 s under load', () => {
  const aofDir = mkdtempSync(join(tmpdir(), 'pm-redis-aof-'));
  let redis: ThrowawayRedis;
  let db: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    redis = new ThrowawayRedis(await freePort(), aofDir);
    await redis.start();
    db = await createTestDatabase('postgres', 'server/faults/redis-stream');
    server = new ServerProcess(await freePort(), {
      DATABASE_URL: db.options.databaseUrl!, REDIS_URL: redis.url, JOB_QUEUE_PREFIX: uniqueQueuePrefix('redis-stream'),
    });
    await server.start();
  }, 180_000);

  afterAll(async () => {
    await server?.kill();
    await redis?.kill();
    await db?.drop();
    rmSync(aofDir, { recursive: true, force: true });
  });

  const sinkHealth = async (): Promise<SinkHealth> => {
    const res = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(10_000) });
    const body = await res.json() as { events?: { redis?: SinkHealth['redis'] } };
    return { status: res.status, redis: body.events?.redis };
  };

  it('loses no event and drains the backlog once Redis is back', async () => {
    await server.expect(201, 'POST', '/definitions', { bpmn_xml: startToEndModel('stream_outage') });
    let started = 0;
    let startedWhileDown = 0;
    let down = false;
    let loading = true;
    const load = Array.from({ length: 8 }, async () => {
      while (loading) {
        await server.expect(201, 'POST', '/instances', { process_definition_key: 'stream_outage' });
        started += 1;
        if (down) startedWhileDown += 1;
      }
    });
    await waitUntil('100 starts before the outage', async () => started >= 100, 60_000, 10);

    await redis.kill();
    down = true;
    const stoppedAt = Date.now();
    // the job queue is Redis too: the service says it is unavailable, and the stream's backlog grows
    await waitUntil('/health to show the stream sink failing', async () => (await sinkHealth()).redis?.status === 'unhealthy', 20_000, 250);
    const whileDown = await sinkHealth();
    expect(whileDown.status).toBe(503);
    await sleep(Math.max(0, DOWN_MS - (Date.now() - stoppedAt)));
    const backlog = (await sinkHealth()).redis!.waiting;
    expect(backlog).toBeGreaterThan(whileDown.redis!.waiting);

    await redis.start();
    down = false;
    const backAt = Date.now();
    loading = false;
    await Promise.all(load);
    const drainMs = await waitUntil('the stream sink to catch up', async () => {
      const health = await sinkHealth();
      return health.status === 200 && health.redis?.status === 'healthy' && health.redis.waiting === 0;
    }, 120_000, 100);

    const committed = await readAllEvents(server);
    // each start → end instance commits started, two performance events and completed
    expect(committed.length).toBe(1 + started * 4);
    const stream = await streamEventIds(redis.url, STREAM_KEY);
    const firstArrivals = [...new Set(stream)];
    // per instance first, so that an ordering fault names its instances rather than showing a long diff
    expect(inCommitOrderPerInstance(committed, firstArrivals)).toEqual([]);
    expect(firstArrivals).toEqual(committed.map((e) => e.id));
    console.log(
      `[faults] Redis stream sink: Redis stopped ${Math.round((backAt - stoppedAt) / 1000)} s with ${started - startedWhileDown} instances started before, `
        + `${startedWhileDown} while down (${backlog} events waiting at the end); the backlog drained ${drainMs} ms after Redis was back; `
        + `${committed.length} events, all in the stream, duplicates: ${stream.length - firstArrivals.length}`,
    );
  }, 300_000);
});

/** the instances whose events came in the stream out of their commit order (ids increase in commit order) */
function inCommitOrderPerInstance(committed: PublishedEvent[], arrivals: string[]): string[] {
  const instanceOf = new Map(committed.map((e) => [e.id, e.instance_id]));
  const last = new Map<string, number>();
  const wrong = new Set<string>();
  for (const id of arrivals) {
    const instance = instanceOf.get(id);
    if (instance === undefined) continue;
    if (Number(id) < (last.get(instance) ?? 0)) wrong.add(instance);
    last.set(instance, Number(id));
  }
  return [...wrong];
}

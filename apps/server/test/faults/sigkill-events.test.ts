// The server SIGKILLed while commands commit events, then started again on the same PostgreSQL database:
// every committed event reaches the Event Manager and the Redis stream, in commit order, once the dead
// process's turn to deliver has run out. The duplicates (batches sent but not yet recorded as
// acknowledged when the process died) are counted.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, dropQueueKeys, freePort, testBackends, type TestDatabase } from '@dadms/process-engine/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startToEndModel } from '../models.js';
import { readAllEvents, ServerProcess, SHARED_REDIS_URL, streamEventIds, uniqueQueuePrefix, waitUntil, type PublishedEvent as Event } from './harness.js';

describe.runIf(testBackends().includes('postgres'))('SIGKILL while events are published, on PostgreSQL with Redis', () => {
  const prefix = uniqueQueuePrefix('sigkill-events');
  const streamKey = `pm-faults-events-${randomUUID().slice(0, 8)}`;
  const acknowledged: Event[] = [];
  let manager: Server;
  let db: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    manager = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        acknowledged.push(...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Event[]));
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => manager.listen(0, '127.0.0.1', resolve));
    db = await createTestDatabase('postgres', 'server/faults/sigkill-events');
    server = new ServerProcess(await freePort(), {
      DATABASE_URL: db.options.databaseUrl!, REDIS_URL: SHARED_REDIS_URL, JOB_QUEUE_PREFIX: prefix, EVENT_STREAM_KEY: streamKey,
      EVENT_MANAGER_URL: `http://127.0.0.1:${(manager.address() as AddressInfo).port}/events`,
    });
  });
  afterAll(async () => {
    await server?.kill();
    manager?.close();
    await db?.drop();
    await dropQueueKeys(SHARED_REDIS_URL, prefix);
    const redis = new Redis(SHARED_REDIS_URL);
    await redis.del(streamKey);
    redis.disconnect();
  });

  it('delivers every committed event after a SIGKILL under load and a restart', async () => {
    await server.start();
    await server.expect(201, 'POST', '/definitions', { bpmn_xml: startToEndModel('events_under_kill') });
    let answered = 0;
    const load = Array.from({ length: 16 }, async () => {
      for (;;) {
        const { status } = await server.call('POST', '/instances', { process_definition_key: 'events_under_kill' }).catch(() => ({ status: 0 }));
        if (status !== 201) return;
        answered += 1;
      }
    });
    await waitUntil('200 starts answered', async () => answered >= 200, 60_000, 5);
    await server.kill();
    await Promise.all(load);
    const deliveredBeforeKill = new Set(acknowledged.map((e) => e.id)).size;

    await server.start();
    const committed = await readAllEvents(server);
    // every start answered committed its four events (and the deployment one); starts cut short may have too
    expect(committed.length).toBeGreaterThanOrEqual(1 + answered * 4);
    const ids = committed.map((e) => e.id);
    const firstArrivals = () => [...new Set(acknowledged.map((e) => e.id))];
    // the killed process's turn to deliver runs out after 15 s
    await waitUntil('the Event Manager has every event', async () => firstArrivals().length >= ids.length, 90_000, 100);
    expect(firstArrivals()).toEqual(ids);
    const stream = () => streamEventIds(SHARED_REDIS_URL, streamKey);
    await waitUntil('the Redis stream has every event', async () => new Set(await stream()).size >= ids.length, 90_000, 100);
    expect([...new Set(await stream())]).toEqual(ids);
    const streamDuplicates = (await stream()).length - ids.length;
    console.log(`SIGKILL after ${answered} starts: ${ids.length} events, ${deliveredBeforeKill} delivered before the kill; `
      + `duplicates: ${acknowledged.length - ids.length} at the Event Manager, ${streamDuplicates} in the Redis stream`);
  }, 240_000);
});

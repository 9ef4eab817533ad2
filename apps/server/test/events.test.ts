// GET /events and GET /events/stream over a real socket: the stream replays the kept events after
// Last-Event-ID, then each as it commits, with heart-beat comments; a client that does not read is
// disconnected and resumes without a gap. /health shows the sinks and their backlogs.
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createEngine } from '@dadms/process-engine';
import { createTestDatabase, freePort, testBackends, type TestDatabase } from '@dadms/process-engine/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX, buildApp } from '../src/app.js';
import { startToEndModel } from './models.js';
import { call, engineReady, expectError, testConfig } from './support.js';

const eventually = { timeout: 30_000, interval: 25 };

interface SseMessage {
  id?: string;
  event?: string;
  data?: Record<string, unknown>;
  comment?: string;
}

/** a stream client that keeps every message it read, until stopped */
function sseClient(url: string, headers: Record<string, string> = {}) {
  const messages: SseMessage[] = [];
  const abort = new AbortController();
  const done = (async () => {
    const response = await fetch(url, { headers, signal: abort.signal });
    if (response.status !== 200) throw new Error(`stream answered ${response.status}`);
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of response.body!) {
      text += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        const message: SseMessage = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) message.comment = line.slice(1).trim();
          else if (line.startsWith('id: ')) message.id = line.slice(4);
          else if (line.startsWith('event: ')) message.event = line.slice(7);
          else if (line.startsWith('data: ')) message.data = JSON.parse(line.slice(6));
        }
        messages.push(message);
      }
    }
  })().catch((e: unknown) => {
    if ((e as Error).name !== 'AbortError') throw e;
  });
  return {
    messages,
    events: () => messages.filter((m) => m.id !== undefined),
    stop: async () => {
      abort.abort();
      await done;
    },
  };
}

for (const backend of testBackends()) {
  describe(`events API on ${backend}`, () => {
    let database: TestDatabase;
    let app: FastifyInstance;
    let base: string;

    beforeAll(async () => {
      database = await createTestDatabase(backend, 'server/events');
      // an Event Manager that is not there: its backlog shows in /health, which stays 200
      const eventManagerUrl = `http://127.0.0.1:${await freePort()}/events`;
      const env = { EVENT_MANAGER_URL: eventManagerUrl, ...(database.options.databaseUrl ? { DATABASE_URL: database.options.databaseUrl } : {}) };
      app = await buildApp({
        config: testConfig(env),
        startEngine: () => createEngine({ ...database.options, events: { eventManagerUrl } }),
        eventStream: { heartbeatMs: 100, maxBufferedBytes: 64 * 1024 },
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      await engineReady(app);
      base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}${API_PREFIX}`;
      await call(app, 'POST', '/definitions', { bpmn_xml: startToEndModel('straight') });
    });
    afterAll(async () => {
      await app.close();
      await database.drop();
    });

    const start = () => call(app, 'POST', '/instances', { process_definition_key: 'straight' });

    it('pages through the kept events after an id, filtered by type', async () => {
      for (let i = 0; i < 3; i++) await start();
      const all = (await call(app, 'GET', '/events?limit=1000')).json();
      expect(all.data.length).toBe(all.total);
      expect(all.data[0]).toMatchObject({ type: 'process_manager.definition.deployed', process_definition_key: 'straight' });
      const after = (await call(app, 'GET', `/events?after=${all.data[1].id}&limit=2`)).json();
      expect(after).toMatchObject({ data: all.data.slice(2, 4), total: all.total - 2, limit: 2, offset: 0 });
      const completed = (await call(app, 'GET', '/events?types=process_manager.instance.completed,process_manager.instance.started')).json();
      expect(completed.data.map((e: { type: string }) => e.type)).toEqual(
        all.data.map((e: { type: string }) => e.type).filter((t: string) => t.endsWith('instance.completed') || t.endsWith('instance.started')));
      expectError(await call(app, 'GET', '/events?after=abc'), 400, 'VALIDATION_ERROR');
    });

    it('streams the kept events after Last-Event-ID, then new ones as they commit, with heart-beats; a resumed stream has no gap', async () => {
      const kept = (await call(app, 'GET', '/events?limit=1000')).json().data as { id: string }[];
      const first = sseClient(`${base}/events/stream`, { 'last-event-id': kept[2]!.id });
      await expect.poll(() => first.events().length, eventually).toBe(kept.length - 3);
      for (let i = 0; i < 5; i++) await start();
      const now = (await call(app, 'GET', '/events?limit=1000')).json().data as { id: string }[];
      await expect.poll(() => first.events().map((m) => m.id), eventually).toEqual(now.slice(3).map((e) => e.id));
      expect(first.events().every((m) => m.event === m.data?.type && m.id === m.data?.id)).toBe(true);
      await expect.poll(() => first.messages.some((m) => m.comment === 'keep-alive'), eventually).toBe(true);
      await first.stop();

      const lastSeen = first.events().at(-1)!.id!;
      for (let i = 0; i < 3; i++) await start();
      const resumed = sseClient(`${base}/events/stream?types=process_manager.instance.completed`, { 'last-event-id': lastSeen });
      const expected = (await call(app, 'GET', `/events?after=${lastSeen}&types=process_manager.instance.completed`)).json().data as { id: string }[];
      expect(expected).toHaveLength(3);
      await expect.poll(() => resumed.events().map((m) => m.id), eventually).toEqual(expected.map((e) => e.id));
      await resumed.stop();
    });

    it('starts after the newest event with after=now: the kept ones are not sent, those that commit next are', async () => {
      await start();
      const kept = (await call(app, 'GET', '/events?limit=1000')).json().data as { id: string }[];
      const fresh = sseClient(`${base}/events/stream?after=now`);
      // when the stream took its starting point is not seen from outside: instances start until it hears one
      await expect.poll(async () => {
        await start();
        return fresh.events().length;
      }, eventually).toBeGreaterThan(0);
      const first = fresh.events()[0]!.id!;
      expect(Number(first)).toBeGreaterThan(Number(kept.at(-1)!.id));
      const news = (await call(app, 'GET', `/events?after=${Number(first) - 1}&limit=1000`)).json().data as { id: string }[];
      await expect.poll(() => fresh.events().map((m) => m.id), eventually).toEqual(news.map((e) => e.id));
      await fresh.stop();

      // a reconnection's Last-Event-ID wins over after=now: nothing committed while it was away is missed
      await start();
      const missed = (await call(app, 'GET', `/events?after=${news.at(-1)!.id}`)).json().data as { id: string }[];
      const resumed = sseClient(`${base}/events/stream?after=now`, { 'last-event-id': news.at(-1)!.id });
      await expect.poll(() => resumed.events().map((m) => m.id), eventually).toEqual(missed.map((e) => e.id));
      await resumed.stop();

      const refused = await fetch(`${base}/events/stream?after=later`);
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('after');
    });

    it('disconnects a client that does not read, which then resumes where it was', async () => {
      const { port } = app.server.address() as AddressInfo;
      const socket = connect(port, '127.0.0.1');
      socket.pause();
      socket.write(`GET ${API_PREFIX}/events/stream?after=0 HTTP/1.1\r\nhost: localhost\r\n\r\n`);
      let closed = false;
      socket.on('close', () => { closed = true; });
      socket.on('error', () => {});
      // far more than the 64 KiB the server buffers for a client, and than the kernel's socket buffers hold,
      // while the client reads nothing
      const padding = 'x'.repeat(100_000);
      for (let i = 0; i < 120; i++) {
        await call(app, 'POST', '/instances', { process_definition_key: 'straight', variables: { padding: { value: padding } } });
      }
      // a paused socket hears of its end only once it reads what came before
      socket.resume();
      await expect.poll(() => closed, eventually).toBe(true);

      const { total } = (await call(app, 'GET', '/events?limit=1')).json();
      const tail = (await call(app, 'GET', `/events?after=${total - 10}`)).json().data as { id: string }[];
      const resumed = sseClient(`${base}/events/stream`, { 'last-event-id': tail[0]!.id });
      await expect.poll(() => resumed.events().map((m) => m.id), eventually).toEqual(tail.slice(1).map((e) => e.id));
      await resumed.stop();
    });

    it('shows each event sink with its backlog in /health, which a sink that is down does not fail', async () => {
      const res = await app.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(200);
      const health = res.json();
      expect(health.dependencies.event_manager).toBe('unhealthy');
      expect(health.events.event_manager.status).toBe('unhealthy');
      expect(health.events.event_manager.waiting).toBe((await call(app, 'GET', '/events?limit=1')).json().total);
    });
  });
}

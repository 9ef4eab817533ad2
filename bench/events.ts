// The event relay's figures (`npm run bench -- events`):
// - its cost: start → end through the engine API with the relay publishing every event (to a local Event
//   Manager, to the Redis stream on PostgreSQL, to a subscriber) and with the relay off (events written,
//   not published), the two taking turns, each run on a fresh database (a run with the relay off leaves
//   its events unpublished: the next run with it on would publish them too);
// - its latency: from a start's HTTP answer (its commit) to its instance.completed event on an SSE client
//   of the same server, for starts sent every 50 ms, alone (idle) and beside the bench's start → end load
//   over HTTP from a child process.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEngine } from '@dadms/process-engine';
import { createTestDatabase, type BackendName } from '@dadms/process-engine/testing';
import { API_PREFIX, buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config.js';
import { engineDriver } from './drivers.js';
import { runLoad } from './load-process.js';
import { percentile, scenario, throughput, type Bounds, type ThroughputResult } from './measure.js';
import { startEnd } from './models.js';

export interface EventBenchSettings {
  concurrency: number;
  warmup: Bounds;
  bounds: Bounds;
  /** turns of relay off and on */
  rounds: number;
  redisUrl?: string;
}

export interface RelayCostRow {
  backend: BackendName;
  relay: boolean;
  perSecond: number[];
  cpuMsPerInstance: number[];
}

export interface DeliveryLatencyRow {
  backend: BackendName;
  load: 'idle' | 'start → end load';
  p50: number;
  p99: number;
  max: number;
  samples: number;
  /** events that never arrived */
  missing: number;
  loadPerSecond?: number;
}

const PROBE_INTERVAL_MS = 50;

/** a local Event Manager that acknowledges every batch */
async function eventManager(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, server };
}

export async function benchRelayCost(backend: BackendName, settings: EventBenchSettings): Promise<RelayCostRow[]> {
  const manager = await eventManager();
  const rows: RelayCostRow[] = [false, true].map((relay) => ({ backend, relay, perSecond: [], cpuMsPerInstance: [] }));
  try {
    for (let round = 0; round < settings.rounds; round++) {
      for (const row of rows) {
        const db = await createTestDatabase(backend, 'bench-events');
        const engine = await createEngine({
          ...db.options, redisUrl: settings.redisUrl, jobs: { queuePrefix: `bench-events-${process.pid}` },
          events: { relay: row.relay, eventManagerUrl: manager.url, redisStreamKey: `bench-events-${process.pid}`, redisStreamMaxLength: 100_000 },
        });
        const stop = engine.subscribeEvents(() => {});
        try {
          await engine.deploy({ bpmn_xml: startEnd.xml, name: startEnd.key });
          const once = scenario('start-end', engineDriver(engine));
          await throughput(once, settings.concurrency, settings.warmup);
          const result: ThroughputResult = await throughput(once, settings.concurrency, settings.bounds);
          row.perSecond.push(result.perSecond);
          row.cpuMsPerInstance.push(result.cpuMsPerInstance);
          console.log(`  ${backend} start → end, relay ${row.relay ? 'on' : 'off'}: ${result.perSecond.toFixed(0)}/s, ${result.cpuMsPerInstance.toFixed(2)} ms CPU per instance`);
        } finally {
          stop();
          await engine.close();
          await db.drop();
        }
      }
    }
  } finally {
    manager.server.close();
  }
  return rows;
}

export async function benchDeliveryLatency(backend: BackendName, settings: EventBenchSettings): Promise<DeliveryLatencyRow[]> {
  const manager = await eventManager();
  const { options, drop } = await createTestDatabase(backend, 'bench-events');
  const config = loadConfig({ LOG_LEVEL: 'error', DATABASE_URL: options.databaseUrl });
  const app = await buildApp({
    config,
    startEngine: (log, observer) => createEngine({
      ...options, logger: log, observer, redisUrl: settings.redisUrl, jobs: { queuePrefix: `bench-events-${process.pid}` },
      events: { eventManagerUrl: manager.url, redisStreamKey: `bench-events-${process.pid}`, redisStreamMaxLength: 100_000 },
    }),
  });
  const rows: DeliveryLatencyRow[] = [];
  try {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    while ((await fetch(`${address}/health`)).status !== 200) await new Promise((r) => setTimeout(r, 100));
    const baseUrl = `${address}${API_PREFIX}`;
    await fetch(`${baseUrl}/definitions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bpmn_xml: startEnd.xml }) });
    const stream = completions(`${baseUrl}/events/stream?types=process_manager.instance.completed`);
    try {
      rows.push({ backend, load: 'idle', ...await probe(baseUrl, stream.arrivals, settings.bounds.seconds) });
      const load = runLoad<ThroughputResult>({ kind: 'throughput', baseUrl, scenario: 'start-end', concurrency: settings.concurrency, warmup: settings.warmup, bounds: settings.bounds });
      // the probes run while the load does, after its warm-up
      await new Promise((r) => setTimeout(r, settings.warmup.seconds * 1000));
      const measured = await probe(baseUrl, stream.arrivals, settings.bounds.seconds);
      rows.push({ backend, load: 'start → end load', ...measured, loadPerSecond: (await load).perSecond });
    } finally {
      stream.stop();
    }
    for (const row of rows) {
      console.log(`  ${backend} commit → SSE, ${row.load}: p50 ${row.p50.toFixed(1)} ms, p99 ${row.p99.toFixed(1)} ms, max ${row.max.toFixed(1)} ms, `
        + `${row.samples} events${row.missing ? `, ${row.missing} missing` : ''}${row.loadPerSecond ? `, load ${row.loadPerSecond.toFixed(0)} instances/s` : ''}`);
    }
  } finally {
    await app.close();
    manager.server.close();
    await drop();
  }
  return rows;
}

/** when each instance's completion arrived on the stream, by instance id */
function completions(url: string): { arrivals: Map<string, number>; stop(): void } {
  const arrivals = new Map<string, number>();
  const abort = new AbortController();
  void (async () => {
    const response = await fetch(url, { signal: abort.signal });
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of response.body!) {
      const at = performance.now();
      text += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const data = text.slice(0, end).split('\n').find((line) => line.startsWith('data: '));
        text = text.slice(end + 2);
        if (data) arrivals.set((JSON.parse(data.slice(6)) as { instance_id: string }).instance_id, at);
      }
    }
  })().catch(() => {});
  return { arrivals, stop: () => abort.abort() };
}

/** starts an instance every 50 ms for `seconds`: from each answer to its completion on the stream */
async function probe(baseUrl: string, arrivals: Map<string, number>, seconds: number): Promise<Omit<DeliveryLatencyRow, 'backend' | 'load'>> {
  const answered = new Map<string, number>();
  const deadline = performance.now() + seconds * 1000;
  const starts: Promise<void>[] = [];
  while (performance.now() < deadline) {
    starts.push((async () => {
      const res = await fetch(`${baseUrl}/instances`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ process_definition_key: startEnd.key }) });
      const { id } = (await res.json()) as { id: string };
      answered.set(id, performance.now());
    })());
    await new Promise((r) => setTimeout(r, PROBE_INTERVAL_MS));
  }
  await Promise.all(starts);
  const wait = performance.now() + 10_000;
  while ([...answered.keys()].some((id) => !arrivals.has(id)) && performance.now() < wait) await new Promise((r) => setTimeout(r, 20));
  // an event may arrive before the answer that says its command committed: that counts as no wait
  const latencies = [...answered].filter(([id]) => arrivals.has(id)).map(([id, at]) => Math.max(0, arrivals.get(id)! - at));
  return {
    p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: percentile(latencies, 1),
    samples: latencies.length, missing: answered.size - latencies.length,
  };
}

// `npm run bench -- scale`: the engine on a store that has grown (bench/scale-store.ts) against an empty one.
// Writes through the engine API (start → end, the user-task cycle); reads over HTTP from a server started as
// its own process, whose resident memory is read from the operating system after start-up and after the reads.
import { createEngine } from '@dadms/process-engine';
import { createTestDatabase, freePort } from '@dadms/process-engine/testing';
import { API_PREFIX } from '../apps/server/src/app.js';
import { ServerProcess } from '../apps/server/test/faults/harness.js';
import { engineDriver } from './drivers.js';
import { percentile, scenario, throughput, type Bounds, type ScenarioName } from './measure.js';
import { models } from './models.js';
import { residentMiB } from './proc-cpu.js';
import { CANDIDATE_GROUPS, growStore, reviewKey, scaleDatabaseUrl, type StoreSize } from './scale-store.js';

export interface ScaleSettings {
  size: StoreSize;
  concurrency: number;
  warmup: Bounds;
  bounds: Bounds;
  /** timed requests per read */
  requests: number;
}

export type StoreName = 'empty' | 'grown';

export interface ScaleWriteRow { store: StoreName; scenario: ScenarioName; perSecond: number; errors: number }
export interface ScaleReadRow { store: StoreName; read: string; p50: number; p99: number; samples: number; errors: number; targetMs: number }
export interface ScaleMemoryRow { store: StoreName; afterStartMb: number; afterReadsMb: number }

export interface ScaleReport {
  loadSeconds: number;
  writes: ScaleWriteRow[];
  reads: ScaleReadRow[];
  memory: ScaleMemoryRow[];
}

const WRITE_SCENARIOS: ScenarioName[] = ['start-end', 'user-task'];

const LIST_TARGET_MS = 20;
const ANALYTICS_TARGET_MS = 500;

/**
 * The reads a person clicking through the UI sends, each with a fresh parameter where it takes one; the
 * analytics, slower by nature, a tenth as often. The target is on the p99.
 */
const scaleReads: { name: string; path: (n: number) => string; share: number; targetMs: number }[] = [
  { name: 'GET /tasks?candidate_group=', path: (n) => `/tasks?candidate_group=g${n % CANDIDATE_GROUPS}&limit=50`, share: 1, targetMs: LIST_TARGET_MS },
  {
    name: 'GET /instances?process_definition_key=&status=active',
    path: () => `/instances?process_definition_key=${reviewKey}&status=active&limit=50`,
    share: 1,
    targetMs: LIST_TARGET_MS,
  },
  { name: 'GET /statistics (30 days)', path: () => '/statistics', share: 0.1, targetMs: ANALYTICS_TARGET_MS },
  { name: 'GET /performance (30 days)', path: () => '/performance', share: 0.1, targetMs: ANALYTICS_TARGET_MS },
  { name: 'GET /bottlenecks (30 days)', path: () => '/bottlenecks', share: 0.1, targetMs: ANALYTICS_TARGET_MS },
];

export async function benchGrownStore(settings: ScaleSettings, log: (line: string) => void): Promise<ScaleReport> {
  log(`scale: ${settings.size.ended.toLocaleString('en')} ended instances over ${settings.size.days} days and `
    + `${settings.size.openTasks.toLocaleString('en')} open tasks in ${CANDIDATE_GROUPS} candidate groups, on PostgreSQL`);
  const loadSeconds = await growStore(settings.size, log);
  log(loadSeconds ? `  bulk load took ${loadSeconds.toFixed(0)} s` : '  the grown store was already loaded');
  const report: ScaleReport = { loadSeconds, writes: [], reads: [], memory: [] };
  const empty = await createTestDatabase('postgres', 'bench-scale');
  try {
    for (const [store, databaseUrl] of [['empty', empty.options.databaseUrl!], ['grown', scaleDatabaseUrl()]] as const) {
      report.writes.push(...await benchWrites(store, databaseUrl, settings, log));
      const { reads, memory } = await benchReads(store, databaseUrl, settings, log);
      report.reads.push(...reads);
      report.memory.push(memory);
    }
  } finally {
    await empty.drop();
  }
  return report;
}

async function benchWrites(store: StoreName, databaseUrl: string, settings: ScaleSettings, log: (line: string) => void): Promise<ScaleWriteRow[]> {
  const engine = await createEngine({ databaseUrl });
  try {
    for (const model of models) await engine.deploy({ bpmn_xml: model.xml, name: model.key });
    const rows: ScaleWriteRow[] = [];
    for (const name of WRITE_SCENARIOS) {
      const once = scenario(name, engineDriver(engine));
      await throughput(once, settings.concurrency, settings.warmup);
      const result = await throughput(once, settings.concurrency, settings.bounds);
      rows.push({ store, scenario: name, perSecond: result.perSecond, errors: result.errors });
      log(`  ${store} store, engine API, ${name}: ${result.perSecond.toFixed(0)}/s`);
    }
    return rows;
  } finally {
    await engine.close();
  }
}

async function benchReads(store: StoreName, databaseUrl: string, settings: ScaleSettings, log: (line: string) => void) {
  // a process of its own, so that its memory is its own
  const server = new ServerProcess(await freePort(), { DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' });
  await server.start(120_000);
  const baseUrl = `${server.url}${API_PREFIX}`;
  try {
    const afterStartMb = residentMiB(server.pid!);
    const reads: ScaleReadRow[] = [];
    for (const read of scaleReads) {
      const count = Math.max(10, Math.round(settings.requests * read.share));
      const timings: number[] = [];
      let errors = 0;
      for (let n = -3; n < count; n++) {
        const t = performance.now();
        const res = await fetch(`${baseUrl}${read.path(n + 3)}`);
        await res.arrayBuffer();
        if (!res.ok) errors += 1;
        if (n >= 0) timings.push(performance.now() - t);
      }
      const row = { store, read: read.name, targetMs: read.targetMs, p50: percentile(timings, 0.5), p99: percentile(timings, 0.99), samples: count, errors };
      reads.push(row);
      log(`  ${store} store, HTTP, ${read.name}: p50 ${row.p50.toFixed(1)} ms, p99 ${row.p99.toFixed(1)} ms${errors ? ` (${errors} errors)` : ''}`);
    }
    return { reads, memory: { store, afterStartMb, afterReadsMb: residentMiB(server.pid!) } };
  } finally {
    await server.terminate();
  }
}

// `npm run bench`: throughput and latency of the engine on PGlite (on disk, in a temporary directory) and on
// PostgreSQL (a fresh database, created and dropped here), through the engine API and through HTTP. It only
// prints; nothing here asserts on time.
//   --quick              2 s per figure instead of 5
//   --backends=a,b       pglite, postgres (default both; PostgreSQL from TEST_DATABASE_URL)
//   --concurrency=N      parallel callers for the throughput figures (default 8)
import { fork } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createEngine, type EngineOptions } from '@dadms/process-engine';
import { createTestDatabase, testPostgresUrl, type BackendName } from '@dadms/process-engine/testing';
import { API_PREFIX, buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config.js';
import { engineDriver } from './drivers.js';
import type { LoadJob } from './http-load.js';
import {
  latency, operations, scenario, scenarioTitles, throughput,
  type Bounds, type LatencyResult, type ScenarioName, type ThroughputResult,
} from './measure.js';
import { models } from './models.js';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    backends: { type: 'string', default: 'pglite,postgres' },
    concurrency: { type: 'string', default: '8' },
  },
});
const backends = flags.backends.split(',').map((b) => b.trim()) as BackendName[];
const concurrency = Number(flags.concurrency);
if (backends.some((b) => b !== 'pglite' && b !== 'postgres') || !Number.isInteger(concurrency) || concurrency < 1) {
  console.error('usage: npm run bench -- [--quick] [--backends=pglite,postgres] [--concurrency=N]');
  process.exit(2);
}
const bounds: Bounds = { seconds: flags.quick ? 2 : 5, maxCount: 50_000 };
const warmup: Bounds = { seconds: flags.quick ? 0.5 : 1, maxCount: 5_000 };
// 20 cycles of 5 requests: 100 requests/s, a moderate load for one node on 2 cores
const LATENCY_CYCLES_PER_SECOND = 20;
const TARGET_START_END_PER_SECOND = 1_000;
const TARGET_P99_MS = 20;
const scenarios = Object.keys(scenarioTitles) as ScenarioName[];

interface ThroughputRow { backend: BackendName; path: 'engine' | 'HTTP'; scenario: ScenarioName; result: ThroughputResult }
const throughputRows: ThroughputRow[] = [];
const latencyRows: { backend: BackendName; result: LatencyResult }[] = [];
const skipped: string[] = [];

// Figures from a busy machine mean little: the load average at the start says how busy it was.
console.log(
  `process manager benchmark: node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)}, ` +
    `${concurrency} concurrent callers for throughput, ${bounds.seconds} s per figure after ${warmup.seconds} s of warm-up`,
);

for (const backend of backends) {
  let db;
  try {
    db = await createTestDatabase(backend, 'bench');
  } catch (err) {
    skipped.push(`${backend}: skipped, could not create a database at ${testPostgresUrl()} (${(err as Error).message})`);
    console.log(skipped.at(-1));
    continue;
  }
  try {
    await benchEngine(backend, db.options);
    await benchHttp(backend, db.options);
  } finally {
    await db.drop();
  }
}

printSummary();

async function benchEngine(backend: BackendName, options: EngineOptions): Promise<void> {
  const engine = await createEngine(options);
  try {
    for (const model of models) await engine.deploy({ bpmn_xml: model.xml, name: model.key });
    for (const name of scenarios) {
      const once = scenario(name, engineDriver(engine));
      await throughput(once, concurrency, warmup);
      record({ backend, path: 'engine', scenario: name, result: await throughput(once, concurrency, bounds) });
    }
  } finally {
    await engine.close();
  }
}

async function benchHttp(backend: BackendName, options: EngineOptions): Promise<void> {
  // Level error: request logs and the open-API warning would interleave with the figures.
  const config = loadConfig({ LOG_LEVEL: 'error', DATABASE_URL: options.databaseUrl });
  const app = await buildApp({ config, startEngine: (log) => createEngine({ ...options, logger: log }) });
  try {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    await untilHealthy(address);
    const baseUrl = `${address}${API_PREFIX}`;
    for (const model of models) {
      const res = await fetch(`${baseUrl}/definitions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ bpmn_xml: model.xml, name: model.key }),
      });
      if (!res.ok) throw new Error(`deploying ${model.key} over HTTP: ${res.status} ${await res.text()}`);
    }
    for (const name of scenarios) {
      const result = await runLoad<ThroughputResult>({ kind: 'throughput', baseUrl, scenario: name, concurrency, warmup, bounds });
      record({ backend, path: 'HTTP', scenario: name, result });
    }
    const result = await runLoad<LatencyResult>({ kind: 'latency', baseUrl, cyclesPerSecond: LATENCY_CYCLES_PER_SECOND, warmup, bounds });
    latencyRows.push({ backend, result });
    console.log(`  ${backend} HTTP latency: ${operations.map((op) => `${op} p50 ${ms(result.p50[op])} p99 ${ms(result.p99[op])}`).join(', ')}${errorNote(result)}`);
  } finally {
    await app.close();
  }
}

/** The API answers 503 until the engine has started. */
async function untilHealthy(address: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await fetch(`${address}/health`)).status !== 200) {
    if (Date.now() > deadline) throw new Error('the server did not become healthy within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs one load job in a child process (bench/http-load.ts) and answers its result. */
function runLoad<T>(job: LoadJob): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./http-load.ts', import.meta.url), [JSON.stringify(job)]);
    const limit = setTimeout(() => child.kill(), (job.warmup.seconds + job.bounds.seconds + 60) * 1000);
    let result: T | undefined;
    child.on('message', (msg) => { result = msg as T; });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      if (result !== undefined) resolve(result);
      else reject(new Error(`HTTP load process ended (${signal ?? `exit code ${code}`}) without a result`));
    });
  });
}

function record(row: ThroughputRow): void {
  throughputRows.push(row);
  console.log(`  ${row.backend} ${row.path} ${scenarioTitles[row.scenario]}: ${perSecond(row.result)}/s${errorNote(row.result)}`);
}

function printSummary(): void {
  console.log('\nThroughput: instances per second, start to end, '
    + `${concurrency} concurrent callers (target: start → end on PostgreSQL through the engine API ≥ ${TARGET_START_END_PER_SECOND.toLocaleString('en')}/s)`);
  table(
    ['backend', 'path', 'scenario', 'instances/s', 'instances', 'errors', 'target'],
    throughputRows.map(({ backend, path, scenario: name, result }) => [
      backend, path, scenarioTitles[name], perSecond(result), String(result.completed), String(result.errors),
      backend === 'postgres' && path === 'engine' && name === 'start-end'
        ? `≥ ${TARGET_START_END_PER_SECOND.toLocaleString('en')}: ${result.perSecond >= TARGET_START_END_PER_SECOND ? 'met' : 'NOT met'}`
        : '',
    ]),
  );
  console.log(`\nHTTP latency in ms at a fixed load: ${LATENCY_CYCLES_PER_SECOND} cycles/s of start, variable update, claim, `
    + `complete (${LATENCY_CYCLES_PER_SECOND * 5} requests/s with the task lookup; target: p99 ≤ ${TARGET_P99_MS} ms)`);
  table(
    ['backend', 'operation', 'p50', 'p99', 'samples', 'req/s', 'target'],
    latencyRows.flatMap(({ backend, result }) => operations.map((op) => [
      backend, op, ms(result.p50[op]), ms(result.p99[op]), String(result.samples), result.requestsPerSecond.toFixed(0),
      `p99 ≤ ${TARGET_P99_MS}: ${result.p99[op] <= TARGET_P99_MS ? 'met' : 'NOT met'}`,
    ])),
  );
  console.log(`\nload average at the end: ${loadavg()[0]!.toFixed(1)}`);
  for (const line of skipped) console.log(line);
  const failures = [...throughputRows.map((r) => r.result), ...latencyRows.map((r) => r.result)].filter((r) => r.errors > 0);
  for (const r of failures) console.log(`errors: ${r.errors}, first: ${r.firstError}`);
}

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const numeric = (cell: string) => /^[\d.,]+$/.test(cell);
  const line = (cells: string[]) =>
    cells.map((c, i) => (numeric(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

function perSecond(r: ThroughputResult): string {
  return r.perSecond.toFixed(0);
}

function ms(value: number): string {
  return Number.isNaN(value) ? '-' : value.toFixed(1);
}

function errorNote(r: { errors: number; firstError?: string }): string {
  return r.errors > 0 ? ` (${r.errors} errors, first: ${r.firstError})` : '';
}

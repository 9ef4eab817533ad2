// `npm run bench`: throughput and latency of the engine on PGlite (on disk, in a temporary directory) and on
// PostgreSQL (a fresh database, created and dropped here), through the engine API and through HTTP; then the
// job figures (bench/jobs.ts) on PostgreSQL + Redis and on PGlite + the in-process dispatcher; then the event
// relay's (bench/events.ts), PostgreSQL with the Redis stream; then what metrics and tracing cost
// (bench/tracing.ts), and the idle server's memory. It only prints; nothing here asserts on time.
//   npm run bench -- [api] [jobs] [events] [tracing] [memory]   only these sections (default all): api = instances
//                        and HTTP, jobs = jobs, events = the event relay's cost and its commit → SSE latency
//                        (bench/events.ts), tracing = start → end over HTTP without engine metrics, with them, and
//                        with tracing on, memory = the idle server's memory on PGlite (bench/idle-memory.ts)
//   npm run bench -- scaleout   only when named: HTTP throughput against 1, 2 and 3 server processes on one
//                        PostgreSQL and Redis (CLUSTER_WORKERS on one port; bench/scale-out.ts)
//   --processes=1,2,3    the server processes of the scale-out figures
//   npm run bench -- peer   only when named: start → end and the user-task cycle on bpmn-engine (in memory, in
//                        process and behind a minimal HTTP server) beside this engine's API and HTTP figures, in
//                        rounds taking turns (bench/peer.ts)
//   npm run bench -- phases   only when named: the user-task cycle's operations measured apart (start, task
//                        lookup, completion, and start → end), with the engine's and PostgreSQL's CPU per
//                        operation (bench/phases.ts); --quick runs 1,000 of each instead of 3,000
//   npm run bench -- cache   only when named: what the instance cache saves on PGlite, two engines taking turns
//                        (bench/instance-cache.ts); 12 rounds, 4 with --quick
//   npm run bench -- scale   only when named: a store that has grown, on PostgreSQL (bench/scale.ts), as its bulk
//                        load takes minutes the first time (the database pm_bench_scale is kept for the next)
//   --scale-instances=N, --scale-days=D, --scale-open-tasks=N   the grown store (default 1,000,000 ended instances
//                        over 365 days, 10,000 open tasks)
//   --quick              2 s per figure instead of 5; jobs: 1,000 service instances, 1,000 timers over 10 s
//   --backends=a,b       pglite, postgres (default both; PostgreSQL from TEST_DATABASE_URL, Redis from TEST_REDIS_URL)
//   --concurrency=N      parallel callers for the throughput figures (default 8)
//   --starters=N         parallel callers starting the job figures' instances (default 16: with 8, the starts
//                        bounded the async service-task figure while the engine still had time to spare)
//   --timers=N, --timer-window=S   the timer figure's size (default 10,000 over 60 s; or BENCH_TIMERS, BENCH_TIMER_WINDOW)
//   --job-concurrency=N  jobs.concurrency (default: the engine's for the backend)
//   --handler-concurrency=N   handle(…, { concurrency }) (default 64: a handler holds its room until its
//                        completion commits, and 32 bounded the service-task figure)
//   --instance-cache=N   api: the engine's instanceCache on PGlite (default the engine's, 1,000; 0: none)
//   --max-batch=N        api: the commands one transaction holds at most (groupCommit.maxBatch; default the
//                        engine's, 32 on PostgreSQL and 8 on PGlite): what a transaction costs beside its commands
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createEngine, type EngineOptions } from '@dadms/process-engine';
import { createTestDatabase, redisAnswers, testPostgresUrl, type BackendName } from '@dadms/process-engine/testing';
import { engineDriver } from './drivers.js';
import { benchDeliveryLatency, benchRelayCost, type DeliveryLatencyRow, type EventBenchSettings, type RelayCostRow } from './events.js';
import { benchIdleMemory, IDLE_SECONDS, type IdleMemoryRow } from './idle-memory.js';
import { startServer } from './in-process-server.js';
import { runLoad } from './load-process.js';
import { benchScaleOut, type ScaleOutRow } from './scale-out.js';
import { benchTracingCost, instrumentationOverhead, tracingModes, type TracingCostRow } from './tracing.js';
import {
  benchIncidents, benchScale, benchServiceTasks, benchTimers, jobBackends, redisUrl,
  type IncidentResult, type JobBenchSettings, type ServiceResult, type TimerResult,
} from './jobs.js';
import {
  operations, scenario, scenarioTitles, throughput,
  type Bounds, type LatencyResult, type ScenarioName, type ThroughputResult,
} from './measure.js';
import { models } from './models.js';
import { benchAgainstPeer, printPeerSummary, type PeerRow } from './peer.js';
import { benchInstanceCache, printInstanceCache, type InstanceCacheRow, type InstanceCacheSettings } from './instance-cache.js';
import { benchPhases, printPhases, type PhaseRow, type PhaseSettings } from './phases.js';
import { benchGrownStore, type ScaleReport } from './scale.js';
import { table } from './table.js';
import type { StoreSize } from './scale-store.js';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    backends: { type: 'string', default: 'pglite,postgres' },
    concurrency: { type: 'string', default: '8' },
    starters: { type: 'string', default: '16' },
    timers: { type: 'string' },
    'timer-window': { type: 'string' },
    'job-concurrency': { type: 'string' },
    'handler-concurrency': { type: 'string', default: '64' },
    'instance-cache': { type: 'string' },
    'max-batch': { type: 'string' },
    processes: { type: 'string', default: '1,2,3' },
    'scale-instances': { type: 'string', default: '1000000' },
    'scale-days': { type: 'string', default: '365' },
    'scale-open-tasks': { type: 'string', default: '10000' },
  },
});
const backends = flags.backends.split(',').map((b) => b.trim()) as BackendName[];
const SECTIONS = ['api', 'jobs', 'events', 'tracing', 'memory'];
/** sections that run only when named */
const NAMED_SECTIONS = ['scaleout', 'scale', 'peer', 'phases', 'cache'];
const sections = positionals.length ? positionals : SECTIONS;
const concurrency = Number(flags.concurrency);
const scaleOutProcesses = flags.processes.split(',').map(Number);
const instanceCache = flags['instance-cache'] === undefined ? undefined : Number(flags['instance-cache']);
const maxBatch = flags['max-batch'] === undefined ? undefined : Number(flags['max-batch']);
const jobSettings: JobBenchSettings = {
  serviceInstances: flags.quick ? 1_000 : 3_000,
  starters: Number(flags.starters),
  jobConcurrency: flags['job-concurrency'] === undefined ? undefined : Number(flags['job-concurrency']),
  handlerConcurrency: Number(flags['handler-concurrency']),
  // room for the job and handler commands beside the starters
  poolSize: 20,
  timers: Number(flags.timers ?? process.env.BENCH_TIMERS ?? (flags.quick ? 1_000 : 10_000)),
  timerWindowSeconds: Number(flags['timer-window'] ?? process.env.BENCH_TIMER_WINDOW ?? (flags.quick ? 10 : 60)),
  failures: flags.quick ? 100 : 200,
  failuresPerSecond: 50,
};
const scaleSize: StoreSize = {
  ended: Number(flags['scale-instances']), days: Number(flags['scale-days']), openTasks: Number(flags['scale-open-tasks']),
};
const positive = (n: number) => Number.isInteger(n) && n >= 1;
if (
  backends.some((b) => b !== 'pglite' && b !== 'postgres') || sections.some((s) => ![...SECTIONS, ...NAMED_SECTIONS].includes(s))
  || (instanceCache !== undefined && !(Number.isInteger(instanceCache) && instanceCache >= 0))
  || ![concurrency, maxBatch ?? 1, ...scaleOutProcesses, jobSettings.starters, jobSettings.jobConcurrency ?? 1, jobSettings.handlerConcurrency, jobSettings.timers, jobSettings.timerWindowSeconds].every(positive)
  || ![scaleSize.ended, scaleSize.days, scaleSize.openTasks].every(positive)
) {
  console.error('usage: npm run bench -- [api] [jobs] [events] [tracing] [memory] [--quick] [--backends=pglite,postgres] [--concurrency=N] '
    + '[--instance-cache=N] [--max-batch=N] [--starters=N] [--timers=N] [--timer-window=S] [--job-concurrency=N] [--handler-concurrency=N] | scaleout [--processes=1,2,3] '
    + '| scale [--scale-instances=N] [--scale-days=D] [--scale-open-tasks=N] | peer [--quick] [--backends=pglite,postgres] [--concurrency=N] '
    + '| phases [--quick] [--backends=pglite,postgres] [--concurrency=N] | cache [--quick] [--concurrency=N]');
  process.exit(2);
}
const bounds: Bounds = { seconds: flags.quick ? 2 : 5, maxCount: 50_000 };
// A server just started reaches its steady rate only after a few seconds of load, as V8 optimises the
// request path: after 1 s of warm-up its start → end over HTTP measured a fifth below the same server's
// later rounds, the engine API within the noise of them.
const warmup: Bounds = { seconds: flags.quick ? 1 : 3, maxCount: 50_000 };
// 20 cycles of 5 requests: 100 requests/s, a moderate load for one node on 2 cores
const LATENCY_CYCLES_PER_SECOND = 20;
const TARGET_START_END_PER_SECOND = 1_000;
const TARGET_P99_MS = 20;
/** start → end over HTTP against the engine API's rate */
const TARGET_HTTP_SHARE = 0.6;
const TARGET_SERVICE_PER_SECOND = 500;
const TARGET_TIMER_P99_MS = 1_000;
const TARGET_INCIDENT_MS = 100;
const TARGET_IDLE_RSS_MIB = 250;
const scenarios = Object.keys(scenarioTitles) as ScenarioName[];

interface ThroughputRow {
  backend: BackendName;
  path: 'engine' | 'HTTP';
  scenario: ScenarioName;
  result: ThroughputResult;
  /** over HTTP: the CPU time of the server (this process) per instance; the result's own CPU is then the load's */
  serverCpuMsPerInstance?: number;
}
const throughputRows: ThroughputRow[] = [];
const latencyRows: { backend: BackendName; result: LatencyResult }[] = [];
const skipped: string[] = [];
const serviceRows: ServiceResult[] = [];
const timerRows: TimerResult[] = [];
const incidentRows: IncidentResult[] = [];
const scaleRows: { label: string; perSecond: number }[] = [];
const relayCostRows: RelayCostRow[] = [];
const deliveryRows: DeliveryLatencyRow[] = [];
const scaleOutRows: ScaleOutRow[] = [];
const tracingRows: TracingCostRow[] = [];
const memoryRows: IdleMemoryRow[] = [];
const peerRows: PeerRow[] = [];
const phaseRows: PhaseRow[] = [];
const phaseSettings: PhaseSettings = { backends, concurrency, operations: flags.quick ? 1_000 : 3_000 };
const cacheRows: InstanceCacheRow[] = [];
const cacheSettings: InstanceCacheSettings = { concurrency, warmup, rounds: flags.quick ? 4 : 12 };
const benchStart = performance.now();

const serviceTitles = {
  async: 'start → async service task (handler) → end',
  plain: 'start → service task (handler) → end, not async',
};

// Figures from a busy machine mean little: the load average at the start says how busy it was.
console.log(
  `process manager benchmark: node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)}, ` +
    `${concurrency} concurrent callers for throughput, ${bounds.seconds} s per figure after ${warmup.seconds} s of warm-up`,
);

if (sections.includes('api')) {
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
      const options: EngineOptions = {
        ...db.options, ...(instanceCache === undefined ? {} : { instanceCache }), ...(maxBatch === undefined ? {} : { groupCommit: { maxBatch } }),
      };
      await benchEngine(backend, options);
      await benchHttp(backend, options);
    } finally {
      await db.drop();
    }
  }
}
if (sections.includes('jobs')) await benchJobs();
if (sections.includes('events')) await benchEvents();
if (sections.includes('scaleout')) await scaleOut();
if (sections.includes('tracing')) await benchTracing();
let scaleReport: ScaleReport | undefined;
if (sections.includes('scale')) {
  scaleReport = await benchGrownStore({ size: scaleSize, concurrency, warmup, bounds, requests: flags.quick ? 100 : 400 }, (line) => console.log(line));
}
if (sections.includes('memory')) await benchMemory();
if (sections.includes('peer')) {
  peerRows.push(...await benchAgainstPeer({ backends, concurrency, warmup, bounds, rounds: flags.quick ? 1 : 3 }, (line) => console.log(line)));
}

if (sections.includes('phases')) phaseRows.push(...await benchPhases(phaseSettings, (line) => console.log(line)));
if (sections.includes('cache')) cacheRows.push(...await benchInstanceCache(cacheSettings, (line) => console.log(line)));

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
  const { app, baseUrl } = await startServer(options);
  try {
    for (const name of scenarios) {
      const result = await runLoad<ThroughputResult>({ kind: 'throughput', baseUrl, scenario: name, concurrency, warmup, bounds });
      record({ backend, path: 'HTTP', scenario: name, result, serverCpuMsPerInstance: result.hostCpuMs / result.completed });
    }
    const result = await runLoad<LatencyResult>({ kind: 'latency', baseUrl, cyclesPerSecond: LATENCY_CYCLES_PER_SECOND, warmup, bounds });
    latencyRows.push({ backend, result });
    console.log(`  ${backend} HTTP latency: ${operations.map((op) => `${op} p50 ${ms(result.p50[op])} p99 ${ms(result.p99[op])}`).join(', ')}${errorNote(result)}`);
  } finally {
    await app.close();
  }
}

async function benchJobs(): Promise<void> {
  const { jobConcurrency, handlerConcurrency, starters, poolSize } = jobSettings;
  console.log(`jobs: jobs.concurrency ${jobConcurrency ?? "the engine's default (50 on PostgreSQL, 4 on PGlite)"}, handle(…, { concurrency: ${handlerConcurrency} }), ${starters} concurrent starts, `
    + `PostgreSQL pool ${poolSize}`);
  for (const jb of jobBackends.filter((j) => backends.includes(j.backend))) {
    if (jb.redis && !(await redisAnswers(redisUrl()))) {
      skipped.push(`${jb.label}: skipped, Redis does not answer at ${redisUrl()}`);
      console.log(skipped.at(-1));
      continue;
    }
    try {
      const perSecond = await benchScale(jb, jobSettings);
      scaleRows.push({ label: jb.label, perSecond });
      console.log(`  ${jb.label} start → end through the engine API, for scale: ${perSecond.toFixed(0)}/s`);
      for (const variant of ['async', 'plain'] as const) {
        const r = await benchServiceTasks(jb, jobSettings, variant);
        serviceRows.push(r);
        console.log(`  ${jb.label} ${serviceTitles[variant]}: ${r.perSecond.toFixed(0)}/s (starts alone ${(r.instances / r.startSeconds).toFixed(0)}/s, `
          + `start → end p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms, bench process CPU ${r.cpu.toFixed(2)} cores)${errorNote(r)}`);
      }
      for (const failure of ['handler', 'http'] as const) {
        const r = await benchIncidents(jb, jobSettings, failure);
        incidentRows.push(r);
        console.log(`  ${jb.label} ${r.failure} → incident: p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms, max ${ms(r.max)} ms${errorNote(r)}`);
      }
      const r = await benchTimers(jb, jobSettings, (line) => console.log(line));
      timerRows.push(r);
      const atLeast = r.unfired ? '≥ ' : '';
      console.log(`  ${jb.label} timer lateness: p50 ${atLeast}${ms(r.p50)} ms, p99 ${atLeast}${ms(r.p99)} ms, max ${atLeast}${ms(r.max)} ms, `
        + `${r.late} over 1 s, bench process CPU ${r.cpu.toFixed(2)} cores${errorNote(r)}`);
    } catch (err) {
      skipped.push(`${jb.label}: job figures stopped: ${(err as Error).stack ?? (err as Error).message}`);
      console.log(skipped.at(-1));
    }
  }
}

async function benchEvents(): Promise<void> {
  const redis = await redisAnswers(redisUrl());
  const settings = (backend: BackendName): EventBenchSettings => ({
    concurrency, warmup, bounds, rounds: flags.quick ? 1 : 3, redisUrl: backend === 'postgres' && redis ? redisUrl() : undefined,
  });
  console.log(`events: the relay's cost (relay off and on taking turns) and commit → SSE latency${redis ? '' : '; Redis does not answer: no Redis stream'}`);
  for (const backend of backends) {
    relayCostRows.push(...await benchRelayCost(backend, settings(backend)));
    deliveryRows.push(...await benchDeliveryLatency(backend, settings(backend)));
  }
}

async function scaleOut(): Promise<void> {
  if (!(await redisAnswers(redisUrl()))) {
    skipped.push(`scale-out: skipped, Redis does not answer at ${redisUrl()}`);
    return;
  }
  console.log(`scale-out: ${scaleOutProcesses.join(', ')} server processes (CLUSTER_WORKERS on one port) on one PostgreSQL and Redis, `
    + `${concurrency} callers over HTTP, each on a keep-alive connection of its own`);
  scaleOutRows.push(...await benchScaleOut({ processes: scaleOutProcesses, concurrency, warmup, bounds, redisUrl: redisUrl() }, (row) =>
    console.log(`  ${row.processes} process(es) HTTP ${scenarioTitles[row.scenario]}: ${perSecond(row.result)}/s, `
      + `server CPU ${row.serverCpuMsPerInstance.toFixed(2)} ms/instance${errorNote(row.result)}`)));
}

async function benchTracing(): Promise<void> {
  console.log('tracing: start → end over HTTP without engine metrics, with them (tracing off), and with tracing on, taking turns');
  const overhead = await instrumentationOverhead();
  console.log(`  a command that does nothing, tracing off: ${overhead.bareNs.toFixed(0)} ns as it is, ${overhead.tracedNs.toFixed(0)} ns in its (no-op) span, `
    + `${overhead.instrumentedNs.toFixed(0)} ns timed into Prometheus too`);
  for (const backend of backends) tracingRows.push(...await benchTracingCost(backend, { concurrency, warmup, bounds, rounds: flags.quick ? 1 : 3 }));
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

async function benchMemory(): Promise<void> {
  console.log('memory: the idle server on PGlite, after start-up');
  for (const row of await benchIdleMemory()) {
    memoryRows.push(row);
    console.log(`  ${row.server}, ${row.start}: ${row.rssMiB.toFixed(0)} MiB RSS, healthy after ${row.readySeconds.toFixed(1)} s`);
  }
}

function record(row: ThroughputRow): void {
  throughputRows.push(row);
  console.log(`  ${row.backend} ${row.path} ${scenarioTitles[row.scenario]}: ${perSecond(row.result)}/s${errorNote(row.result)}`);
}

function printSummary(): void {
  if (throughputRows.length) {
    console.log('\nThroughput: instances per second, start to end, '
      + `${concurrency} concurrent callers (targets: start → end on PostgreSQL through the engine API ≥ ${TARGET_START_END_PER_SECOND.toLocaleString('en')}/s, `
      + `over HTTP ≥ ${TARGET_HTTP_SHARE * 100}% of the engine API's)`);
    // over HTTP the load runs in a process of its own: the server's CPU is this process's, the load's its own
    table(
      ['backend', 'path', 'scenario', 'instances/s', 'of engine', 'CPU ms/instance', 'load CPU ms', 'instances', 'errors', 'target'],
      throughputRows.map(({ backend, path, scenario: name, result, serverCpuMsPerInstance }) => {
        const engine = throughputRows.find((r) => r.backend === backend && r.path === 'engine' && r.scenario === name);
        const share = path === 'HTTP' && engine ? result.perSecond / engine.result.perSecond : undefined;
        let target = '';
        if (backend === 'postgres' && name === 'start-end' && path === 'engine') {
          target = `≥ ${TARGET_START_END_PER_SECOND.toLocaleString('en')}: ${result.perSecond >= TARGET_START_END_PER_SECOND ? 'met' : 'NOT met'}`;
        } else if (name === 'start-end' && share !== undefined) {
          target = `≥ ${TARGET_HTTP_SHARE * 100}% of engine: ${share >= TARGET_HTTP_SHARE ? 'met' : 'NOT met'}`;
        }
        return [
          backend, path, scenarioTitles[name], perSecond(result), share === undefined ? '' : `${(share * 100).toFixed(0)}%`,
          (serverCpuMsPerInstance ?? result.cpuMsPerInstance).toFixed(2), path === 'HTTP' ? result.cpuMsPerInstance.toFixed(2) : '',
          String(result.completed), String(result.errors), target,
        ];
      }),
    );
  }
  if (latencyRows.length) {
    console.log(`\nHTTP latency in ms at a fixed load: ${LATENCY_CYCLES_PER_SECOND} cycles/s of start, variable update, claim, `
      + `complete (${LATENCY_CYCLES_PER_SECOND * 5} requests/s with the task lookup; target: p99 ≤ ${TARGET_P99_MS} ms)`);
    table(
      ['backend', 'operation', 'p50', 'p99', 'samples', 'req/s', 'target'],
      latencyRows.flatMap(({ backend, result }) => operations.map((op) => [
        backend, op, ms(result.p50[op]), ms(result.p99[op]), String(result.samples), result.requestsPerSecond.toFixed(0),
        `p99 ≤ ${TARGET_P99_MS}: ${result.p99[op] <= TARGET_P99_MS ? 'met' : 'NOT met'}`,
      ])),
    );
  }
  if (serviceRows.length) {
    console.log(`\nJobs: service tasks worked by engine.handle in this process, ${jobSettings.serviceInstances.toLocaleString('en')} instances, `
      + `${jobSettings.starters} concurrent starts, from the first start to the last end `
      + `(target: async on PostgreSQL + Redis ≥ ${TARGET_SERVICE_PER_SECOND}/s)`);
    table(
      ['backend', 'model', 'instances/s', 'starts/s', 'start→end p50', 'p99', 'CPU', 'errors', 'target'],
      serviceRows.map((r) => [
        r.label, serviceTitles[r.variant], r.perSecond.toFixed(0), (r.instances / r.startSeconds).toFixed(0), ms(r.p50), ms(r.p99),
        r.cpu.toFixed(2), String(r.errors),
        r.variant === 'async' && r.label.startsWith('PostgreSQL')
          ? `≥ ${TARGET_SERVICE_PER_SECOND}: ${r.perSecond >= TARGET_SERVICE_PER_SECOND ? 'met' : 'NOT met'}` : '',
      ]),
    );
    console.log(`for scale, start → end through the engine API in this run: ${scaleRows.map((r) => `${r.label} ${r.perSecond.toFixed(0)}/s`).join(', ')}`);
  }
  if (incidentRows.length) {
    console.log(`\nJobs: from the last failed attempt (retries 1) to its incident, ms, ${jobSettings.failures} instances started at `
      + `${jobSettings.failuresPerSecond}/s (target: ≤ ${TARGET_INCIDENT_MS} ms)`);
    table(
      ['backend', 'failure', 'incident', 'p50', 'p99', 'max', 'samples', 'errors', 'target'],
      incidentRows.map((r) => [
        r.label, r.failure, r.failure === 'HTTP 500' ? 'failedJob' : 'failedExternalTask', ms(r.p50), ms(r.p99), ms(r.max),
        String(r.incidents), String(r.errors), `p99 ≤ ${TARGET_INCIDENT_MS}: ${r.p99 <= TARGET_INCIDENT_MS ? 'met' : 'NOT met'}`,
      ]),
    );
  }
  if (timerRows.length) {
    console.log(`\nJobs: timer lateness in ms (firing time in the history − due time), ${jobSettings.timers.toLocaleString('en')} timers due `
      + `over ${jobSettings.timerWindowSeconds} s (target: p99 ≤ ${TARGET_TIMER_P99_MS.toLocaleString('en')} ms)`);
    // timers that had not fired when the bench stopped waiting count as late as that: the figures are lower bounds
    const atLeast = (r: TimerResult, value: number) => `${r.unfired ? '≥ ' : ''}${ms(value)}`;
    table(
      ['backend', 'fired', 'not fired', 'starts s', 'gap s', 'p50', 'p99', 'max', 'over 1 s', 'early', 'CPU', 'target'],
      timerRows.map((r) => [
        r.label, String(r.fired), String(r.unfired), r.startSeconds.toFixed(1), r.gapSeconds.toFixed(1), atLeast(r, r.p50), atLeast(r, r.p99),
        atLeast(r, r.max), String(r.late), String(r.early), r.cpu.toFixed(2),
        `p99 ≤ ${TARGET_TIMER_P99_MS.toLocaleString('en')}: ${r.p99 <= TARGET_TIMER_P99_MS ? 'met' : 'NOT met'}`,
      ]),
    );
  }
  if (relayCostRows.length) {
    console.log(`\nEvents: start → end through the engine API, ${concurrency} callers, with the relay off (events written, not published) and on `
      + '(published to a local Event Manager, a subscriber, and on PostgreSQL the Redis stream); each run in turns (target: on costs ≤ 10% of throughput)');
    table(
      ['backend', 'relay', 'instances/s (runs)', 'mean', 'CPU ms/instance (runs)', 'mean', 'target'],
      relayCostRows.map((r) => {
        const off = relayCostRows.find((o) => o.backend === r.backend && !o.relay)!;
        const cost = 1 - mean(r.perSecond) / mean(off.perSecond);
        return [
          r.backend, r.relay ? 'on' : 'off', r.perSecond.map((v) => v.toFixed(0)).join(' '), mean(r.perSecond).toFixed(0),
          r.cpuMsPerInstance.map((v) => v.toFixed(2)).join(' '), mean(r.cpuMsPerInstance).toFixed(2),
          r.relay ? `≤ 10%: ${(cost * 100).toFixed(1)}% ${cost <= 0.1 ? 'met' : 'NOT met'}` : '',
        ];
      }),
    );
  }
  if (deliveryRows.length) {
    console.log(`\nEvents: from a start's HTTP answer to its instance.completed on an SSE client of the server, ms, a start every 50 ms `
      + '(targets: p99 ≤ 100 ms idle, ≤ 1,000 ms under the start → end load)');
    table(
      ['backend', 'load', 'load/s', 'p50', 'p99', 'max', 'samples', 'missing', 'target'],
      deliveryRows.map((r) => {
        const target = r.load === 'idle' ? 100 : 1_000;
        return [
          r.backend, r.load, r.loadPerSecond?.toFixed(0) ?? '', ms(r.p50), ms(r.p99), ms(r.max), String(r.samples), String(r.missing),
          `p99 ≤ ${target.toLocaleString('en')}: ${r.p99 <= target && !r.missing ? 'met' : 'NOT met'}`,
        ];
      }),
    );
  }
  if (scaleOutRows.length) {
    console.log(`\nScale-out: instances per second over HTTP, ${concurrency} callers spread over the server processes of one port, `
      + 'one PostgreSQL and one Redis on the same machine');
    table(
      ['processes', 'scenario', 'instances/s', 'against 1 process', 'server CPU ms/instance', 'instances', 'errors'],
      scaleOutRows.map((r) => {
        const one = scaleOutRows.find((o) => o.processes === 1 && o.scenario === r.scenario);
        return [
          String(r.processes), scenarioTitles[r.scenario], perSecond(r.result), one ? `${(r.result.perSecond / one.result.perSecond).toFixed(2)}×` : '',
          r.serverCpuMsPerInstance.toFixed(2), String(r.result.completed), String(r.result.errors),
        ];
      }),
    );
  }
  if (tracingRows.length) {
    console.log(`\nTracing: start → end over HTTP, ${concurrency} callers from a child process, in turns; CPU: the server's (the bench process's) per instance`);
    table(
      ['backend', 'mode', 'instances/s (runs)', 'mean', 'CPU ms/instance (runs)', 'mean'],
      tracingRows.map((r) => [
        r.backend, tracingModes[r.mode], r.perSecond.map((v) => v.toFixed(0)).join(' '), mean(r.perSecond).toFixed(0),
        r.cpuMsPerInstance.map((v) => v.toFixed(2)).join(' '), mean(r.cpuMsPerInstance).toFixed(2),
      ]),
    );
  }
  if (scaleReport) printScale(scaleReport);
  if (peerRows.length) printPeerSummary(peerRows, concurrency);
  if (phaseRows.length) printPhases(phaseRows, phaseSettings);
  if (cacheRows.length) printInstanceCache(cacheRows, cacheSettings);
  if (memoryRows.length) {
    console.log(`\nMemory: the idle server on PGlite, resident set size once /health answers and after ${IDLE_SECONDS} s idle (target: ≤ ${TARGET_IDLE_RSS_MIB} MiB)`);
    table(
      ['server', 'data directory', 'RSS MiB', 'healthy after s', 'target'],
      memoryRows.map((r) => [
        r.server, r.start, r.rssMiB.toFixed(0), r.readySeconds.toFixed(1),
        `≤ ${TARGET_IDLE_RSS_MIB}: ${r.rssMiB <= TARGET_IDLE_RSS_MIB ? 'met' : 'NOT met'}`,
      ]),
    );
  }
  console.log(`\nload average at the end: ${loadavg()[0]!.toFixed(1)}; the run took ${((performance.now() - benchStart) / 1000).toFixed(0)} s`);
  for (const line of skipped) console.log(line);
  const failures = [
    ...throughputRows.map((r) => r.result), ...scaleOutRows.map((r) => r.result), ...latencyRows.map((r) => r.result), ...serviceRows, ...timerRows, ...incidentRows,
  ].filter((r) => r.errors > 0);
  for (const r of failures) console.log(`errors: ${r.errors}, first: ${r.firstError}`);
}

function printScale(report: ScaleReport): void {
  const size = `${scaleSize.ended.toLocaleString('en')} ended instances, ${scaleSize.openTasks.toLocaleString('en')} open tasks`;
  console.log(`\nScale: the engine API's throughput, ${concurrency} concurrent callers, on an empty PostgreSQL store and on one of ${size}`);
  table(
    ['store', 'scenario', 'instances/s', 'errors'],
    report.writes.map((r) => [r.store, scenarioTitles[r.scenario], r.perSecond.toFixed(0), String(r.errors)]),
  );
  console.log('\nScale: reads over HTTP, one at a time, ms (targets on the grown store)');
  table(
    ['store', 'request', 'p50', 'p99', 'samples', 'errors', 'target'],
    report.reads.map((r) => [
      r.store, r.read, ms(r.p50), ms(r.p99), String(r.samples), String(r.errors),
      r.store === 'grown' ? `p99 ≤ ${r.targetMs}: ${r.p99 <= r.targetMs && !r.errors ? 'met' : 'NOT met'}` : '',
    ]),
  );
  console.log('\nScale: the server\'s resident memory, MB');
  table(
    ['store', 'after start-up', 'after the reads'],
    report.memory.map((r) => [r.store, r.afterStartMb.toFixed(0), r.afterReadsMb.toFixed(0)]),
  );
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

// The job figures of `npm run bench`: async service tasks worked by an in-process handler, the lateness of
// many timers due in the same minute, and the time from a last failed attempt to its incident. Each runs on
// PostgreSQL + Redis (BullMQ) and on the embedded default (PGlite + the in-process dispatcher), on a fresh
// database and, with Redis, under a queue prefix of its own that is deleted afterwards.
//
// Times the engine wrote (instance and activity end times, incident timestamps) are read from the database
// once the engine is closed, so that no polling loop's period blurs them. Both clocks are this process's.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEngine, type Engine, type EngineOptions, type HttpConnectorOptions, type JobExecutorOptions } from '@dadms/process-engine';
import { createTestDatabase, dropQueueKeys, type BackendName } from '@dadms/process-engine/testing';
// read-only access to the history tables after the engine is closed (the public API has no bulk read of them)
import { openDatabase } from '../packages/engine/src/persistence/open-database.js';
import { failingHandlerTask, failingHttpCall, serviceTask, startEnd, timerCatch } from './models.js';
import { percentile, throughput } from './measure.js';

export const redisUrl = (): string => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface JobBackend {
  backend: BackendName;
  /** dispatch through BullMQ in Redis; otherwise in process */
  redis: boolean;
  label: string;
}

export const jobBackends: JobBackend[] = [
  { backend: 'postgres', redis: true, label: 'PostgreSQL + Redis' },
  { backend: 'pglite', redis: false, label: 'PGlite + in-process' },
];

export interface JobBenchSettings {
  /** instances of the service-task figure */
  serviceInstances: number;
  /** concurrent startInstance callers */
  starters: number;
  /** EngineOptions.jobs.concurrency; the engine's default for the backend when undefined */
  jobConcurrency: number | undefined;
  /** engine.handle(…, { concurrency }) */
  handlerConcurrency: number;
  /** PostgreSQL pool of the engine */
  poolSize: number;
  timers: number;
  timerWindowSeconds: number;
  failures: number;
  /** instances started per second in the failure figure (open loop) */
  failuresPerSecond: number;
}

export interface ServiceResult {
  label: string;
  variant: 'async' | 'plain';
  instances: number;
  perSecond: number;
  /** how long the starts alone took */
  startSeconds: number;
  /** start → end of one instance, from the history */
  p50: number;
  p99: number;
  /** CPU of this process (engine, handler, starters) over the run, in cores */
  cpu: number;
  errors: number;
  firstError?: string;
}

export interface TimerResult {
  label: string;
  timers: number;
  windowSeconds: number;
  startSeconds: number;
  /** from the last start to the first due time */
  gapSeconds: number;
  fired: number;
  /** timers that had not fired when the bench stopped waiting; they count in p50/p99/max as lateness of at least the wait */
  unfired: number;
  p50: number;
  p99: number;
  max: number;
  /** fired more than a second late */
  late: number;
  /** fired before the due time (should be 0) */
  early: number;
  cpu: number;
  errors: number;
  firstError?: string;
}

export interface IncidentResult {
  label: string;
  failure: 'handler throws' | 'HTTP 500';
  samples: number;
  incidents: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  firstError?: string;
}

const TOPIC = 'bench';
const FAIL_TOPIC = 'bench-fail';
const WARMUP_INSTANCES = 300;

/** An engine on a fresh database (and a fresh queue prefix); `read` gets the database after the engine is closed. */
async function session<R, T>(
  jb: JobBackend,
  settings: JobBenchSettings,
  extra: { jobs?: JobExecutorOptions; httpConnector?: HttpConnectorOptions },
  run: (engine: Engine) => Promise<R>,
  read: (db: Awaited<ReturnType<typeof openDatabase>>['db'], result: R) => Promise<T>,
): Promise<T> {
  const db = await createTestDatabase(jb.backend, 'bench-jobs');
  const prefix = `bench-${process.pid}-${randomUUID().slice(0, 8)}`;
  const options: EngineOptions = {
    ...db.options,
    ...(jb.backend === 'postgres' ? { poolSize: settings.poolSize } : {}),
    ...(jb.redis ? { redisUrl: redisUrl() } : {}),
    jobs: { concurrency: settings.jobConcurrency, ...extra.jobs, ...(jb.redis ? { queuePrefix: prefix } : {}) },
    httpConnector: extra.httpConnector,
  };
  // Ctrl-C during a long figure still drops the database and the queue's keys
  const cleanUp = () => Promise.allSettled([db.drop(), jb.redis ? dropQueueKeys(redisUrl(), prefix) : undefined]);
  const interrupted = () => void cleanUp().then(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    let result: R;
    const engine = await createEngine(options);
    try {
      result = await run(engine);
    } finally {
      await engine.close();
    }
    const history = await openDatabase(db.options);
    try {
      return await read(history.db, result);
    } finally {
      await history.close();
    }
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await db.drop();
    if (jb.redis) await dropQueueKeys(redisUrl(), prefix);
  }
}

interface Starts {
  ids: string[];
  seconds: number;
  errors: number;
  firstError?: string;
}

/** Starts `n` instances of `key` from `callers` concurrent callers; instance i gets `variables(i)`. */
async function startMany(
  engine: Engine, key: string, n: number, callers: number,
  variables: (i: number) => Record<string, { value: unknown }> = () => ({}),
  started: (i: number, id: string) => void = () => {},
): Promise<Starts> {
  const ids: string[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const caller = async () => {
    while (next < n) {
      const i = next++;
      try {
        const instance = await engine.startInstance({ process_definition_key: key, variables: variables(i) });
        ids.push(instance.id);
        started(i, instance.id);
      } catch (err) {
        errors += 1;
        firstError ??= message(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(callers, n) }, caller));
  return { ids, seconds: (performance.now() - t0) / 1000, errors, firstError };
}

/** Polls the count of completed instances of `key` until it reaches `n`; false when the deadline came first. */
async function untilCompleted(engine: Engine, key: string, n: number, deadline: number, pollMs: number): Promise<boolean> {
  for (;;) {
    const { total } = await engine.listInstances({ status: 'completed', process_definition_key: key, limit: 1 });
    if (total >= n) return true;
    if (Date.now() > deadline) return false;
    await sleep(pollMs);
  }
}

// ---------------------------------------------------------------------------------------------------------
// 0. For scale: start → end through the engine API, on this backend at this moment (the machine may be busy)

export async function benchScale(jb: JobBackend, settings: JobBenchSettings): Promise<number> {
  return session(jb, settings, {}, async (engine) => {
    await engine.deploy({ bpmn_xml: startEnd.xml, name: startEnd.key });
    const once = async () => {
      await engine.startInstance({ process_definition_key: startEnd.key });
    };
    await throughput(once, settings.starters, { seconds: 2, maxCount: 10_000 });
    return (await throughput(once, settings.starters, { seconds: 5, maxCount: 50_000 })).perSecond;
  }, async (_db, perSecond) => perSecond);
}

// ---------------------------------------------------------------------------------------------------------
// 1. Service tasks worked by an in-process handler

export async function benchServiceTasks(jb: JobBackend, settings: JobBenchSettings, variant: 'async' | 'plain'): Promise<ServiceResult> {
  const key = `bench_service_${variant}`;
  const n = settings.serviceInstances;
  return session(jb, settings, {}, async (engine) => {
    const model = serviceTask(key, TOPIC, variant === 'async');
    const warm = serviceTask(`${key}_warmup`, TOPIC, variant === 'async');
    await engine.deploy({ bpmn_xml: model.xml, name: key });
    await engine.deploy({ bpmn_xml: warm.xml, name: warm.key });
    engine.handle(TOPIC, async () => ({ ok: true }), { concurrency: settings.handlerConcurrency });
    await startMany(engine, warm.key, WARMUP_INSTANCES, settings.starters);
    await untilCompleted(engine, warm.key, WARMUP_INSTANCES, Date.now() + 60_000, 50);

    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    const starts = await startMany(engine, key, n, settings.starters);
    const done = await untilCompleted(engine, key, starts.ids.length, Date.now() + 300_000, 100);
    const cpuSeconds = cpuOf(process.cpuUsage(cpu0));
    const wall = (Date.now() - t0) / 1000;
    return { t0, starts, done, cpu: cpuSeconds / wall };
  }, async (db, { t0, starts, done, cpu }) => {
    const rows = await db.selectFrom('process_instances').select(['start_time', 'end_time'])
      .where('process_definition_key', '=', key).where('status', '=', 'completed').execute();
    const ends = rows.map((r) => time(r.end_time!));
    const lastEnd = Math.max(...ends);
    const durations = rows.map((r) => time(r.end_time!) - time(r.start_time));
    const missing = n - rows.length;
    return {
      label: jb.label, variant, instances: rows.length, perSecond: rows.length / ((lastEnd - t0) / 1000),
      startSeconds: starts.seconds, p50: percentile(durations, 0.5), p99: percentile(durations, 0.99), cpu,
      errors: starts.errors + missing,
      firstError: starts.firstError ?? (done ? undefined : `${missing} instances not completed within 5 minutes`),
    };
  });
}

// ---------------------------------------------------------------------------------------------------------
// 2. Lateness of many timers due within one window

export async function benchTimers(jb: JobBackend, settings: JobBenchSettings, log: (line: string) => void): Promise<TimerResult> {
  const key = 'bench_timer';
  const n = settings.timers;
  const windowMs = settings.timerWindowSeconds * 1000;
  // the pause between the last start and the first due time: 20 s for the full 60 s window
  const gapMs = Math.max(5_000, windowMs / 3);
  const due = new Map<string, number>();
  return session(jb, settings, {}, async (engine) => {
    const model = timerCatch(key);
    const warm = timerCatch(`${key}_warmup`);
    await engine.deploy({ bpmn_xml: model.xml, name: key });
    await engine.deploy({ bpmn_xml: warm.xml, name: warm.key });
    // The warm-up tells how fast starts go, to place the window after them; its timers are due a day
    // later and never fire here.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const warmStarts = await startMany(engine, warm.key, WARMUP_INSTANCES, settings.starters, () => ({ due: { value: tomorrow } }));
    const predictedMs = (n / (warmStarts.ids.length / warmStarts.seconds)) * 1000;
    const windowStart = Date.now() + 1.25 * predictedMs + gapMs;
    const dueOf = (i: number) => Math.round(windowStart + ((i + 0.5) * windowMs) / n);

    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    const starts = await startMany(engine, key, n, settings.starters, (i) => ({ due: { value: new Date(dueOf(i)).toISOString() } }), (i, id) => due.set(id, dueOf(i)));
    const startsDone = Date.now();
    log(`  ${jb.label} timers: ${starts.ids.length.toLocaleString('en')} started in ${starts.seconds.toFixed(1)} s; `
      + `due from ${((windowStart - startsDone) / 1000).toFixed(1)} s later, over ${settings.timerWindowSeconds} s`);
    const fired = await untilCompleted(engine, key, starts.ids.length, windowStart + windowMs + 60_000, 1_000);
    const stoppedAt = Date.now();
    const cpu = cpuOf(process.cpuUsage(cpu0)) / ((stoppedAt - t0) / 1000);
    return { starts, gapSeconds: (windowStart - startsDone) / 1000, fired, stoppedAt, cpu };
  }, async (db, { starts, gapSeconds, fired, stoppedAt, cpu }) => {
    const rows = await db.selectFrom('activity_instances').select(['process_instance_id', 'end_time'])
      .where('process_definition_key', '=', key).where('activity_id', '=', 'wait').where('end_time', 'is not', null).execute();
    const firedIds = new Set(rows.map((r) => r.process_instance_id));
    const lateness = [
      ...rows.map((r) => time(r.end_time!) - due.get(r.process_instance_id)!),
      // not fired by the time the bench stopped waiting: at least that late
      ...starts.ids.filter((id) => !firedIds.has(id)).map((id) => stoppedAt - due.get(id)!),
    ];
    const missing = starts.ids.length - rows.length;
    return {
      label: jb.label, timers: n, windowSeconds: settings.timerWindowSeconds, startSeconds: starts.seconds, gapSeconds,
      fired: rows.length, unfired: missing, p50: percentile(lateness, 0.5), p99: percentile(lateness, 0.99), max: Math.max(...lateness),
      late: lateness.filter((l) => l > 1000).length, early: lateness.filter((l) => l < 0).length, cpu,
      errors: starts.errors + missing,
      firstError: starts.firstError ?? (fired ? undefined : `${missing} timers had not fired a minute after the window`),
    };
  });
}

// ---------------------------------------------------------------------------------------------------------
// 3. From the last failed attempt to its incident

/**
 * `handler`: an engine.handle handler that throws, on a task with one attempt; from the throw (a timestamp
 * taken in the handler) to the failedExternalTask incident's timestamp.
 * `http`: the HTTP connector's service job against a local server answering 500, one attempt; from the
 * server's answer to the failedJob incident's timestamp.
 */
export async function benchIncidents(jb: JobBackend, settings: JobBenchSettings, failure: 'handler' | 'http'): Promise<IncidentResult> {
  const key = `bench_fail_${failure}`;
  const n = settings.failures;
  /** handler: instance id → when the handler threw */
  const failedAt = new Map<string, number>();
  /** http: variable n → when the server answered; n → instance id */
  const answeredAt: number[] = [];
  const instanceOf: string[] = [];
  let server: Server | undefined;
  try {
    let baseUrl = '';
    if (failure === 'http') {
      server = createServer((req, res) => {
        const i = Number(req.url?.split('/').pop());
        answeredAt[i] = Date.now();
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('bench: always fails');
      });
      server.keepAliveTimeout = 60_000;
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fail`;
    }
    // the connector calls only what it is allowed to: the local server
    const httpConnector = failure === 'http' ? { allowedUrls: [baseUrl] } : undefined;
    // no backoff matters (one attempt), but a retry must never wait for it
    return await session(jb, settings, { jobs: { retryBackoffMs: 0 }, httpConnector }, async (engine) => {
      const model = failure === 'http' ? failingHttpCall(key, baseUrl) : failingHandlerTask(key, FAIL_TOPIC);
      const warm = failure === 'http' ? failingHttpCall(`${key}_warmup`, baseUrl) : failingHandlerTask(`${key}_warmup`, FAIL_TOPIC);
      const deployed = await engine.deploy({ bpmn_xml: model.xml, name: key });
      const warmDeployed = await engine.deploy({ bpmn_xml: warm.xml, name: warm.key });
      if (failure === 'handler') {
        engine.handle(FAIL_TOPIC, (task) => {
          failedAt.set(task.process_instance_id, Date.now());
          throw new Error('bench: always fails');
        }, { concurrency: settings.handlerConcurrency });
      }
      const type = failure === 'http' ? 'failedJob' : 'failedExternalTask';
      const incidents = async (definitionId: string) =>
        (await engine.listIncidents({ incident_type: type, process_definition_id: definitionId, limit: 1 })).total;
      const untilIncidents = async (definitionId: string, count: number) => {
        const deadline = Date.now() + 60_000;
        while ((await incidents(definitionId)) < count && Date.now() < deadline) await sleep(100);
      };
      // warm-up: a few failures at the same rate, on a model of their own
      const warmCount = Math.min(50, n);
      await openLoop(warmCount, settings.failuresPerSecond, (i) =>
        engine.startInstance({ process_definition_key: warm.key, variables: { n: { value: n + i } } }));
      await untilIncidents(warmDeployed.definitions[0]!.id, warmCount);

      const result = await openLoop(n, settings.failuresPerSecond, async (i) => {
        const instance = await engine.startInstance({ process_definition_key: key, variables: { n: { value: i } } });
        instanceOf[i] = instance.id;
        return instance;
      });
      await untilIncidents(deployed.definitions[0]!.id, result.ids.length);
      return result;
    }, async (db, starts) => {
      instanceOf.forEach((id, i) => {
        if (answeredAt[i] !== undefined) failedAt.set(id, answeredAt[i]!);
      });
      const rows = await db.selectFrom('incidents').select(['process_instance_id', 'incident_timestamp'])
        .where('process_instance_id', 'in', starts.ids.length ? starts.ids : ['-'])
        .where('incident_type', '=', failure === 'http' ? 'failedJob' : 'failedExternalTask').execute();
      const delays = rows.filter((r) => failedAt.has(r.process_instance_id!))
        .map((r) => time(r.incident_timestamp) - failedAt.get(r.process_instance_id!)!);
      const missing = starts.ids.length - delays.length;
      return {
        label: jb.label, failure: failure === 'http' ? 'HTTP 500' : 'handler throws', samples: starts.ids.length, incidents: delays.length,
        p50: percentile(delays, 0.5), p99: percentile(delays, 0.99), max: Math.max(...delays),
        errors: starts.errors + missing, firstError: starts.firstError ?? (missing ? `${missing} instances without an incident` : undefined),
      };
    });
  } finally {
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server!.close(resolve));
    }
  }
}

/** Calls `once(i)` for i < n at a fixed rate whether or not earlier calls have finished; answers the instances. */
async function openLoop(n: number, perSecond: number, once: (i: number) => Promise<{ id: string }>): Promise<Starts> {
  const ids: string[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const calls: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    calls.push(once(i).then((instance) => { ids.push(instance.id); }, (err) => {
      errors += 1;
      firstError ??= message(err);
    }));
    const next = t0 + ((i + 1) * 1000) / perSecond;
    await sleep(Math.max(0, next - performance.now()));
  }
  await Promise.all(calls);
  return { ids, seconds: (performance.now() - t0) / 1000, errors, firstError };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const time = (value: Date | string) => new Date(value).getTime();
const cpuOf = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

// Both dispatchers against the port's promises: due jobs run once and not before their time, at most
// `concurrency` at once, close() lets runs finish and ends delivery. The BullMQ one also against
// Redis itself: jobs outlive a dispatcher, and a Redis that dies and comes back stops nothing for good.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BullmqDispatcher } from '../../src/jobs/bullmq-dispatcher.js';
import { InProcessDispatcher } from '../../src/jobs/in-process-dispatcher.js';
import type { DispatchedJob, JobDispatcher, JobRef, JobRunner } from '../../src/jobs/job-dispatcher.js';
import { dropQueueKeys, freePort } from '../../src/testing/index.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const eventually = { timeout: 10_000, interval: 10 };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function inProcess(): InProcessDispatcher {
  const dispatcher = new InProcessDispatcher();
  cleanups.push(() => dispatcher.close());
  return dispatcher;
}

/** a dispatcher on keys of its own, deleted after the test */
function bullmq(prefix = `test-${randomUUID()}`, url = redisUrl): BullmqDispatcher {
  const dispatcher = new BullmqDispatcher({ redisUrl: url, prefix });
  cleanups.push(async () => {
    await dispatcher.close();
    if (url === redisUrl) await dropQueueKeys(redisUrl, prefix);
  });
  return dispatcher;
}

interface Run {
  id: string;
  startedAt: number;
  finishedAt?: number;
}

/** a runner that notes what it ran and when; `work` is what each run does meanwhile */
function recorder(work: (id: string) => Promise<void> = async () => {}): { run: JobRunner; runs: Run[]; count: (id: string) => number } {
  const runs: Run[] = [];
  const run: JobRunner = async ({ id }) => {
    const record: Run = { id, startedAt: Date.now() };
    runs.push(record);
    try {
      await work(id);
    } finally {
      record.finishedAt = Date.now();
    }
  };
  return { run, runs, count: (id) => runs.filter((r) => r.id === id).length };
}

const job = (dueInMs = 0, id: string = randomUUID()): DispatchedJob =>
  ({ id, process_instance_id: randomUUID(), type: 'async', due_at: new Date(Date.now() + dueInMs) });

describe.each([
  { name: 'in-process', create: (): JobDispatcher => inProcess() },
  { name: 'BullMQ', create: (): JobDispatcher => bullmq() },
])('the $name dispatcher', ({ create }) => {
  it('runs a job due now once, and a job due in 300 ms not before its due time', async () => {
    const dispatcher = create();
    const { run, runs, count } = recorder();
    await dispatcher.start(run, 4);
    const now = job();
    const later = job(300);
    await dispatcher.dispatch([now, later]);

    await vi.waitFor(() => expect(runs).toHaveLength(2), eventually);
    expect(runs.find((r) => r.id === later.id)!.startedAt).toBeGreaterThanOrEqual(later.due_at.getTime());
    await sleep(200);
    expect([count(now.id), count(later.id)]).toEqual([1, 1]);
  });

  it('hands the runner the job as dispatched: its row id, instance, type, due time and trace', async () => {
    const dispatcher = create();
    const received: JobRef[] = [];
    await dispatcher.start(async (ref) => void received.push(ref), 2);
    const timerStart: DispatchedJob = { ...job(), process_instance_id: null, type: 'timer', trace_parent: null };
    const service: DispatchedJob = { ...job(), type: 'service', trace_parent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
    await dispatcher.dispatch([timerStart, service]);

    await vi.waitFor(() => expect(received).toHaveLength(2), eventually);
    expect(received).toEqual(expect.arrayContaining([timerStart, service]));
  });

  it('holds jobs dispatched before start until it starts', async () => {
    const dispatcher = create();
    const early = job();
    await dispatcher.dispatch([early]);
    const { run, runs } = recorder();
    await dispatcher.start(run, 1);
    await vi.waitFor(() => expect(runs.map((r) => r.id)).toEqual([early.id]), eventually);
  });

  it('runs the same id dispatched twice while it is pending once', async () => {
    const dispatcher = create();
    const { run, runs, count } = recorder();
    await dispatcher.start(run, 4);
    const delayed = job(200);
    const due = job();
    await dispatcher.dispatch([delayed, due, due]);
    await dispatcher.dispatch([delayed]);

    await vi.waitFor(() => expect(runs).toHaveLength(2), eventually);
    await sleep(300);
    expect([count(delayed.id), count(due.id)]).toEqual([1, 1]);
  });

  it('runs at most `concurrency` jobs at once', async () => {
    const dispatcher = create();
    let running = 0;
    let most = 0;
    const { run, runs } = recorder(async () => {
      most = Math.max(most, ++running);
      await sleep(100);
      running--;
    });
    await dispatcher.start(run, 3);
    await dispatcher.dispatch(Array.from({ length: 12 }, () => job()));

    await vi.waitFor(() => expect(runs.filter((r) => r.finishedAt !== undefined)).toHaveLength(12), eventually);
    expect(most).toBe(3);
  });

  it('runs 2,000 jobs due at mixed times in the next second each exactly once, none early', async () => {
    const dispatcher = create();
    const { run, runs } = recorder();
    await dispatcher.start(run, 8);
    const jobs = Array.from({ length: 2_000 }, () => job(Math.floor(Math.random() * 1_000)));
    await dispatcher.dispatch(jobs);

    await vi.waitFor(() => expect(runs).toHaveLength(2_000), { timeout: 20_000, interval: 50 });
    await sleep(200);
    expect(new Set(runs.map((r) => r.id)).size).toBe(2_000);
    expect(runs).toHaveLength(2_000);
    const due = new Map(jobs.map((j) => [j.id, j.due_at.getTime()]));
    expect(runs.filter((r) => r.startedAt < due.get(r.id)!)).toEqual([]);
  });

  it('does not run a job due in 30 days early', async () => {
    const dispatcher = create();
    const { run, runs } = recorder();
    await dispatcher.start(run, 1);
    await dispatcher.dispatch([job(30 * 24 * 3_600_000)]);
    await sleep(300);
    expect(runs).toEqual([]);
  });

  it('keeps delivering after a runner throws', async () => {
    const dispatcher = create();
    const failing = job();
    const { run, runs } = recorder(async (id) => {
      if (id === failing.id) throw new Error('runners should not throw');
    });
    await dispatcher.start(run, 1);
    await dispatcher.dispatch([failing]);
    await vi.waitFor(() => expect(runs).toHaveLength(1), eventually);
    const next = job();
    await dispatcher.dispatch([next]);
    await vi.waitFor(() => expect(runs.map((r) => r.id)).toEqual([failing.id, next.id]), eventually);
  });

  it('lets runs in flight finish on close, and runs nothing after it', async () => {
    const dispatcher = create();
    const { run, runs } = recorder(() => sleep(300));
    await dispatcher.start(run, 2);
    const inFlight = job();
    await dispatcher.dispatch([inFlight, job(600)]);
    await vi.waitFor(() => expect(runs).toHaveLength(1), eventually);

    await dispatcher.close();
    expect(runs).toEqual([expect.objectContaining({ id: inFlight.id, finishedAt: expect.any(Number) })]);
    await dispatcher.dispatch([job()]);
    await sleep(800);
    expect(runs).toHaveLength(1);
  });
});

describe('the in-process dispatcher', () => {
  it('keeps one timer for 10,000 pending jobs', async () => {
    const dispatcher = inProcess();
    const { run, runs } = recorder();
    await dispatcher.start(run, 4);
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await dispatcher.dispatch(Array.from({ length: 10_000 }, (_, i) => job(3_600_000 + i)));
    expect(timers() - before).toBeLessThanOrEqual(1);

    const soon = job(50);
    await dispatcher.dispatch([soon]);
    await vi.waitFor(() => expect(runs.map((r) => r.id)).toEqual([soon.id]), eventually);
  });

  it('lets a second dispatch of an id replace the first', async () => {
    const dispatcher = inProcess();
    const { run, runs } = recorder();
    await dispatcher.start(run, 1);
    const first = job(100);
    const second = job(400, first.id);
    await dispatcher.dispatch([first]);
    await dispatcher.dispatch([second]);

    await vi.waitFor(() => expect(runs).toHaveLength(1), eventually);
    expect(runs[0]!.startedAt).toBeGreaterThanOrEqual(second.due_at.getTime());
  });

  it('never runs one id twice at once: a dispatch while it runs waits for that run', async () => {
    const dispatcher = inProcess();
    const { run, runs } = recorder(() => sleep(200));
    await dispatcher.start(run, 4);
    const again = job();
    await dispatcher.dispatch([again]);
    await vi.waitFor(() => expect(runs).toHaveLength(1), eventually);
    await dispatcher.dispatch([again]);

    await vi.waitFor(() => expect(runs).toHaveLength(2), eventually);
    expect(runs[1]!.startedAt).toBeGreaterThanOrEqual(runs[0]!.finishedAt!);
  });

  it('compares due times with the clock it is given', async () => {
    const hourAhead = () => new Date(Date.now() + 3_600_000);
    const dispatcher = new InProcessDispatcher({ now: hourAhead });
    cleanups.push(() => dispatcher.close());
    const { run, runs } = recorder();
    await dispatcher.start(run, 1);
    const halfAnHour = job(1_800_000);
    await dispatcher.dispatch([halfAnHour]);
    await vi.waitFor(() => expect(runs.map((r) => r.id)).toEqual([halfAnHour.id]), eventually);
  });
});

describe('the BullMQ dispatcher', () => {
  it('tells the other dispatchers on the queue which topics have new tasks, and not itself; another queue hears nothing', async () => {
    const prefix = `test-${randomUUID()}`;
    const [teller, other, elsewhere] = [bullmq(prefix), bullmq(prefix), bullmq()];
    const heard = { teller: [] as (string[] | undefined)[], other: [] as (string[] | undefined)[], elsewhere: [] as (string[] | undefined)[] };
    await teller.listen((topics) => heard.teller.push(topics));
    await other.listen((topics) => heard.other.push(topics));
    await elsewhere.listen((topics) => heard.elsewhere.push(topics));
    // a subscription is made in the background: announce until the other one hears
    await vi.waitFor(async () => {
      await teller.announce(['charge', 'ship']);
      expect(heard.other).toContainEqual(['charge', 'ship']);
    }, eventually);
    await sleep(200);
    // besides, each was told once, when its subscription took, that any topic may have new tasks
    expect(heard.other.filter((topics) => topics === undefined)).toHaveLength(1);
    expect(heard.teller).toEqual([undefined]);
    expect(heard.elsewhere).toEqual([undefined]);
  });

  it('keeps a delayed job in Redis across dispatchers: the next one with the prefix runs it once', async () => {
    const prefix = `test-${randomUUID()}`;
    const first = bullmq(prefix);
    const firstRuns = recorder();
    await first.start(firstRuns.run, 1);
    const delayed = job(500);
    await first.dispatch([delayed]);
    await first.close();

    const second = bullmq(prefix);
    expect(await second.pendingCount()).toBe(1);
    const secondRuns = recorder();
    await second.start(secondRuns.run, 1);
    await vi.waitFor(() => expect(secondRuns.runs.map((r) => r.id)).toEqual([delayed.id]), eventually);
    await sleep(200);
    expect(secondRuns.runs).toHaveLength(1);
    expect(firstRuns.runs).toEqual([]);
    await vi.waitFor(async () => expect(await second.pendingCount()).toBe(0), eventually);
  });

  it('drops a dispatch of an id while that id runs (the sweeper dispatches it again)', async () => {
    const dispatcher = bullmq();
    const { run, runs } = recorder(() => sleep(300));
    await dispatcher.start(run, 2);
    const running = job();
    await dispatcher.dispatch([running]);
    await vi.waitFor(() => expect(runs).toHaveLength(1), eventually);
    await dispatcher.dispatch([running]);
    await sleep(600);
    expect(runs).toHaveLength(1);
  });

  it('rejects a dispatch when Redis was never reachable', async () => {
    const port = await freePort();
    const dispatcher = bullmq(undefined, `redis://127.0.0.1:${port}`);
    await expect(dispatcher.dispatch([job()])).rejects.toThrow('Redis is not reachable');
  });

  describe('with a Redis of its own that dies and comes back', () => {
    let server: ChildProcess | undefined;
    afterEach(async () => {
      await stopRedis(server);
      server = undefined;
    });

    it('rejects dispatches while Redis is away and delivers new ones once it is back', async () => {
      const port = await freePort();
      server = await startRedis(port);
      const dispatcher = bullmq(undefined, `redis://127.0.0.1:${port}`);
      const { run, count } = recorder();
      await dispatcher.start(run, 2);
      const before = job();
      await dispatcher.dispatch([before]);
      await vi.waitFor(() => expect(count(before.id)).toBe(1), eventually);

      await stopRedis(server);
      const asked = Date.now();
      await expect(dispatcher.dispatch([job()])).rejects.toThrow();
      expect(Date.now() - asked).toBeLessThan(3_000);

      server = await startRedis(port);
      const after = job();
      const delayed = job(300);
      await vi.waitFor(() => dispatcher.dispatch([after, delayed]), { timeout: 15_000, interval: 200 });
      await vi.waitFor(() => expect([count(after.id), count(delayed.id)]).toEqual([1, 1]), { timeout: 20_000, interval: 20 });
    });

    it('closes while Redis is away, after the run in flight', async () => {
      const port = await freePort();
      server = await startRedis(port);
      const dispatcher = bullmq(undefined, `redis://127.0.0.1:${port}`);
      const { run, runs } = recorder(() => sleep(300));
      await dispatcher.start(run, 1);
      await dispatcher.dispatch([job()]);
      await vi.waitFor(() => expect(runs).toHaveLength(1), eventually);

      await stopRedis(server);
      const closing = Date.now();
      await dispatcher.close();
      expect(runs[0]!.finishedAt).toBeDefined();
      expect(Date.now() - closing).toBeLessThan(5_000);
    });
  });
});

/** a redis-server without persistence, so that a restart comes back empty like a flushed Redis */
async function startRedis(port: number): Promise<ChildProcess> {
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
    server.on('error', reject);
    server.on('exit', () => reject(new Error(`redis-server on port ${port} stopped:\n${output}`)));
  });
  return server;
}

async function stopRedis(server: ChildProcess | undefined): Promise<void> {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = once(server, 'exit');
  server.kill('SIGKILL');
  await exited;
}

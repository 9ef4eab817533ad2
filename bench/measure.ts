// Scenarios and the two measurements: throughput (instances per second with several concurrent callers,
// since one caller only measures latency) and per-operation latency at a fixed moderate concurrency.
// Every loop is bounded by both a duration and a count.
import { callActivity, MULTI_INSTANCES, multiInstance20, parallel10, startEnd, userTask } from './models.js';
import type { Driver } from './drivers.js';

export type ScenarioName = 'start-end' | 'user-task' | 'parallel-10' | 'multi-instance-20' | 'call-activity';

export const scenarioTitles: Record<ScenarioName, string> = {
  'start-end': 'start → end',
  'user-task': 'start → user task → complete → end',
  'parallel-10': '10-branch parallel split and join',
  'multi-instance-20': `start → ${MULTI_INSTANCES} parallel multi-instance user tasks, each completed → end`,
  'call-activity': 'call activity round trip: start → child\'s user task → complete → both end',
};

/** One instance of the scenario from start to end; throws if the engine left it anywhere else. */
export function scenario(name: ScenarioName, driver: Driver): () => Promise<void> {
  const expectCompleted = (key: string, got: { id: string; status: string }) => {
    if (got.status !== 'completed') throw new Error(`${key} instance ${got.id} is ${got.status}, expected completed`);
  };
  switch (name) {
    case 'start-end':
      return async () => expectCompleted(startEnd.key, await driver.start(startEnd.key));
    case 'parallel-10':
      return async () => expectCompleted(parallel10.key, await driver.start(parallel10.key));
    case 'user-task':
      return async () => {
        const instance = await driver.start(userTask.key);
        await driver.complete(await driver.openTask(instance.id));
      };
    case 'multi-instance-20':
      return async () => {
        const instance = await driver.start(multiInstance20.key);
        const tasks = await driver.openTasks(instance.id);
        if (tasks.length !== MULTI_INSTANCES) throw new Error(`${multiInstance20.key} instance ${instance.id} has ${tasks.length} open tasks`);
        for (const task of tasks) await driver.complete(task);
      };
    case 'call-activity':
      return async () => {
        const instance = await driver.start(callActivity.key);
        await driver.complete(await driver.openTask(await driver.calledInstance(instance.id)));
      };
  }
}

export interface Bounds {
  seconds: number;
  maxCount: number;
}

export interface ThroughputResult {
  completed: number;
  seconds: number;
  perSecond: number;
  /** CPU time of this process per instance completed: the engine's, when it runs here (less noisy than the rate) */
  cpuMsPerInstance: number;
  errors: number;
  firstError?: string;
}

/** Runs `once` from `concurrency` callers until the time or the count is used up. */
export async function throughput(once: () => Promise<void>, concurrency: number, bounds: Bounds): Promise<ThroughputResult> {
  let started = 0;
  let completed = 0;
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const deadline = t0 + bounds.seconds * 1000;
  const caller = async () => {
    while (performance.now() < deadline && started < bounds.maxCount) {
      started += 1;
      try {
        await once();
        completed += 1;
      } catch (err) {
        errors += 1;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { completed, seconds, perSecond: completed / seconds, cpuMsPerInstance: (cpu.user + cpu.system) / 1000 / completed, errors, firstError };
}

export type Operation = 'start' | 'claim' | 'complete' | 'variable update';
export const operations: Operation[] = ['start', 'claim', 'complete', 'variable update'];

export interface LatencyResult {
  /** milliseconds per operation */
  p50: Record<Operation, number>;
  p99: Record<Operation, number>;
  samples: number;
  requestsPerSecond: number;
  errors: number;
  firstError?: string;
}

/**
 * Open loop at a fixed, moderate rate: a new cycle starts every 1/rate seconds whether or not the earlier
 * ones have finished, so a slow answer shows as latency instead of lowering the load. A cycle starts an
 * instance that waits at a user task, updates a variable, claims the task and completes it. The task
 * lookup between start and claim is sent but not timed.
 */
export async function latency(driver: Driver, cyclesPerSecond: number, bounds: Bounds): Promise<LatencyResult> {
  const samples: Record<Operation, number[]> = { start: [], claim: [], complete: [], 'variable update': [] };
  let requests = 0;
  let errors = 0;
  let firstError: string | undefined;
  const timed = async <T>(op: Operation, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const result = await fn();
    samples[op].push(performance.now() - t);
    return result;
  };
  const cycle = async (n: number) => {
    try {
      const instance = await timed('start', () => driver.start(userTask.key));
      const taskId = await driver.openTask(instance.id);
      await timed('variable update', () => driver.updateVariable(instance.id, 'reviewed_by', `user-${n}`));
      await timed('claim', () => driver.claim(taskId, `user-${n}`));
      await timed('complete', () => driver.complete(taskId));
      requests += 5;
    } catch (err) {
      errors += 1;
      firstError ??= err instanceof Error ? err.message : String(err);
    }
  };
  const t0 = performance.now();
  const deadline = t0 + bounds.seconds * 1000;
  const cycles: Promise<void>[] = [];
  for (let n = 0; performance.now() < deadline && n < bounds.maxCount; n++) {
    cycles.push(cycle(n));
    const next = t0 + ((n + 1) * 1000) / cyclesPerSecond;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
  }
  await Promise.all(cycles);
  const seconds = (performance.now() - t0) / 1000;
  const pick = (q: number) =>
    Object.fromEntries(operations.map((op) => [op, percentile(samples[op], q)])) as Record<Operation, number>;
  return { p50: pick(0.5), p99: pick(0.99), samples: samples.start.length, requestsPerSecond: requests / seconds, errors, firstError };
}

export function percentile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

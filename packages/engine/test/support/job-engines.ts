// Engines for the job tests, on the two set-ups the engine ships: the embedded default (PGlite with the
// in-process dispatcher) and PostgreSQL with Redis (the BullMQ dispatcher). Each describe block gets a
// database of its own and a Redis queue prefix of its own, so parallel files never share a queue.
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, vi } from 'vitest';
import type { ParameterOrJSON, Sql } from 'postgres';
import { createEngine, type Engine, type EngineOptions, type JobExecutorOptions } from '../../src/index.js';
import { createTestDatabase, dropQueueKeys, postgresClient, testBackends, type BackendName, type TestDatabase } from '../../src/testing/index.js';

export const testRedisUrl = (): string => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface JobBackend {
  /** for test titles: 'pglite + in-process' or 'postgres + BullMQ' */
  name: string;
  database: BackendName;
  /** jobs go through BullMQ in Redis */
  redis: boolean;
}

/** PGlite with the in-process dispatcher, PostgreSQL with BullMQ; TEST_BACKENDS narrows the list */
export const jobBackends = (): JobBackend[] =>
  testBackends().map((database) => (database === 'pglite'
    ? { name: 'pglite + in-process', database, redis: false }
    : { name: 'postgres + BullMQ', database, redis: true }));

/** job settings that keep the tests quick: frequent sweeps, short backoff */
export const QUICK_JOBS: JobExecutorOptions = { sweepIntervalMs: 250, retryBackoffMs: 50 };

export interface JobEngines {
  /** the engine opened before the block's tests */
  (): Engine;
  backend: JobBackend;
  /**
   * another engine on the same database and Redis queue, closed after the block. PGlite is one
   * process's database, so only the PostgreSQL backend can have a second engine.
   */
  another(options?: EngineOptions): Promise<Engine>;
  /** options for an engine of one's own on the same database and Redis queue (PostgreSQL only); its caller closes it */
  options(extra?: EngineOptions): EngineOptions;
  /** runs SQL on the engine's database beside the engine (on PGlite: only while the engine is idle) */
  sql<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
}

export interface JobDatabase {
  /**
   * options for an engine on the block's database and Redis queue; whoever opens the engine closes it.
   * PGlite is one process's database: one engine on it at a time.
   */
  options(extra?: EngineOptions): EngineOptions;
}

/**
 * A database of its own for the describe block, and on the Redis backend a queue prefix of its own;
 * both are dropped after the block. `jobs` options merge over QUICK_JOBS.
 */
export function jobDatabase(backend: JobBackend, label: string, options: EngineOptions = {}): JobDatabase {
  const queuePrefix = `test-${label}-${randomUUID().slice(0, 8)}`;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(backend.database, label);
  });
  afterAll(async () => {
    await database?.drop();
    if (backend.redis) await dropQueueKeys(testRedisUrl(), queuePrefix);
  });
  return {
    options: (extra = {}) => ({
      ...database!.options,
      ...(backend.redis ? { redisUrl: testRedisUrl() } : {}),
      ...options,
      ...extra,
      jobs: { ...QUICK_JOBS, ...options.jobs, ...extra.jobs, ...(backend.redis ? { queuePrefix } : {}) },
    }),
  };
}

/** One engine per describe block on a jobDatabase, with the given models deployed. */
export function jobEngines(backend: JobBackend, label: string, models: string[] = [], options: EngineOptions = {}): JobEngines {
  const database = jobDatabase(backend, label, options);
  let first: Engine | undefined;
  let pglite: PGlite | undefined;
  let client: Sql | undefined;
  const opened: Engine[] = [];

  beforeAll(async () => {
    if (backend.database === 'pglite') {
      // the engine's PGlite is the only way into its database: keep hold of it as it is opened
      const create = PGlite.create.bind(PGlite) as (...args: unknown[]) => Promise<PGlite>;
      const spy = vi.spyOn(PGlite, 'create').mockImplementation((async (...args: unknown[]) => {
        pglite = await create(...args);
        return pglite;
      }) as typeof PGlite.create);
      try {
        first = await createEngine(database.options());
      } finally {
        spy.mockRestore();
      }
    } else {
      first = await createEngine(database.options());
      client = await postgresClient(database.options().databaseUrl!, { max: 1, onnotice: () => {} });
    }
    opened.push(first);
    for (const bpmn_xml of models) await first.deploy({ bpmn_xml });
  });

  afterAll(async () => {
    await Promise.all(opened.map((engine) => engine.close()));
    await client?.end({ timeout: 5 });
  });

  const engines = (() => first!) as JobEngines;
  engines.backend = backend;
  engines.another = async (extra = {}) => {
    if (backend.database !== 'postgres') throw new Error('only PostgreSQL can be shared by two engines');
    const engine = await createEngine(database.options(extra));
    opened.push(engine);
    return engine;
  };
  engines.options = database.options;
  engines.sql = async <R>(text: string, params: unknown[] = []): Promise<R[]> => {
    if (client) return (await client.unsafe(text, params as ParameterOrJSON<never>[])) as unknown as R[];
    return (await pglite!.query<R>(text, params)).rows;
  };
  return engines;
}

/**
 * Polls until `condition` yields something truthy and answers it; fails after `timeoutMs`, with the
 * description and the last value seen.
 */
export async function waitFor<T>(condition: () => Promise<T> | T, timeoutMs = 10_000, what = 'the condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await condition();
    if (last) return last as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** waits until the instance has the status, and answers its details */
export async function waitForStatus(engine: Engine, instanceId: string, status: string, timeoutMs = 10_000) {
  return waitFor(async () => {
    const details = await engine.getInstance(instanceId);
    return details.status === status ? details : undefined;
  }, timeoutMs, `instance ${instanceId} to be ${status}`);
}

/** the BPMN element ids the instance entered, in order */
export const pathOf = async (engine: Engine, instanceId: string): Promise<string[]> =>
  (await engine.getInstance(instanceId)).execution_path.map((p) => p.activity_id);

const NAMESPACES = `xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`;

/** a Camunda 7 file with one executable process; `definitions` goes beside it (messages, errors) */
export const camunda = (processId: string, body: string, definitions = ''): string => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NAMESPACES} xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_${processId}" targetNamespace="http://test">
  <bpmn:process id="${processId}" isExecutable="true">${body}
  </bpmn:process>${definitions}
</bpmn:definitions>`;

/** a Camunda 8 (Zeebe) file with one executable process */
export const zeebe = (processId: string, body: string, definitions = ''): string => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NAMESPACES} xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="defs_${processId}" targetNamespace="http://test" modeler:executionPlatform="Camunda Cloud">
  <bpmn:process id="${processId}" isExecutable="true">${body}
  </bpmn:process>${definitions}
</bpmn:definitions>`;

/** a sequence flow, with a condition when given */
export const flow = (id: string, from: string, to: string, condition?: string): string => (condition === undefined
  ? `\n    <bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`
  : `\n    <bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`);

/** a timer event definition: `timeDuration`, `timeDate` or `timeCycle` with its value */
export const timer = (kind: 'timeDuration' | 'timeDate' | 'timeCycle', value: string): string =>
  `<bpmn:timerEventDefinition><bpmn:${kind} xsi:type="bpmn:tFormalExpression">${value}</bpmn:${kind}></bpmn:timerEventDefinition>`;

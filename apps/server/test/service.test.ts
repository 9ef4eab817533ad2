// The service around the API: configuration, start-up (503 until the engine is ready), /health, /metrics,
// the OpenAPI document and /docs, unknown routes and request ids.
import { createEngine, type Engine } from '@dadms/process-engine';
import { createTestDatabase, testBackends } from '@dadms/process-engine/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PREFIX } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { engineOptions } from '../src/engine-options.js';
import { buildTestApp, call, engineReady, expectContractKept, expectError, startTestApp, type TestApp } from './support.js';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3007);
    expect(config.host).toBe('0.0.0.0');
    expect(config.storage.databaseUrl).toBeUndefined();
    expect(config.storage.pgliteDir).toMatch(/[/\\]data[/\\]pglite$/);
    expect(config.historyLevel).toBe('full');
    expect(config.limits).toMatchObject({ bodyBytes: 1024 * 1024, deployBodyBytes: 5 * 1024 * 1024, jsonDepth: 64 });
    expect(config.auth.mode).toBe('none');
  });

  it('reads every setting', () => {
    const config = loadConfig({
      PORT: '8080', HOST: '127.0.0.1', DATABASE_URL: 'postgres://u:p@db:5432/pm', REDIS_URL: 'redis://cache:6379',
      DATA_DIR: '/var/pm', HISTORY_LEVEL: 'audit', LOG_LEVEL: 'warn', BODY_LIMIT: '2048', DEPLOY_BODY_LIMIT: '4096',
    });
    expect(config).toMatchObject({
      port: 8080, host: '127.0.0.1', historyLevel: 'audit', logLevel: 'warn', redisUrl: 'redis://cache:6379',
      storage: { databaseUrl: 'postgres://u:p@db:5432/pm', dataDir: '/var/pm', pgliteDir: '/var/pm/pglite' },
      limits: { bodyBytes: 2048, deployBodyBytes: 4096 },
    });
  });

  it('names every bad variable at once, without echoing secrets', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', HISTORY_LEVEL: 'everything', DATABASE_URL: 'mysql://root:s3cret@db/pm', AUTH_DISABLED: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems).toHaveLength(4);
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/HISTORY_LEVEL/);
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).toMatch(/AUTH_DISABLED/);
    expect(message).not.toMatch(/s3cret/);
  });

  it('hands Redis and the job settings to the engine, leaving absent ones to its defaults', () => {
    const log = pino({ level: 'silent' });
    const config = loadConfig({
      REDIS_URL: 'redis://cache:6379', JOB_CONCURRENCY: '5', JOB_SWEEP_INTERVAL_MS: '250', JOB_RETRY_BACKOFF_MS: '0',
      JOB_LOCK_DURATION_MS: '3000', JOB_QUEUE_PREFIX: '{pm-blue}',
    });
    const jobs = { concurrency: 5, sweepIntervalMs: 250, lockDurationMs: 3000, retryBackoffMs: 0, queuePrefix: '{pm-blue}' };
    expect(config.jobs).toStrictEqual(jobs);
    expect(engineOptions(config, log)).toMatchObject({ redisUrl: 'redis://cache:6379', jobs });
    const defaults = engineOptions(loadConfig({}), log);
    expect(defaults.redisUrl).toBeUndefined();
    expect(defaults.jobs).toStrictEqual({
      concurrency: undefined, sweepIntervalMs: undefined, lockDurationMs: undefined, retryBackoffMs: undefined, queuePrefix: undefined,
    });
  });

  it('hands the group commit settings to the engine, and names a bad one', () => {
    const log = pino({ level: 'silent' });
    const config = loadConfig({ GROUP_COMMIT_LANES: '2', GROUP_COMMIT_MAX_BATCH: '1' });
    expect(engineOptions(config, log).groupCommit).toStrictEqual({ lanes: 2, maxBatch: 1 });
    expect(engineOptions(loadConfig({}), log).groupCommit).toStrictEqual({ lanes: undefined, maxBatch: undefined });
    expect(() => loadConfig({ GROUP_COMMIT_MAX_BATCH: '0' })).toThrow("GROUP_COMMIT_MAX_BATCH must be an integer from 1 to 1000, got '0'");
  });

  it('names each bad job setting', () => {
    const bad = {
      JOB_CONCURRENCY: '0', JOB_SWEEP_INTERVAL_MS: 'fast', JOB_RETRY_BACKOFF_MS: '-5', JOB_LOCK_DURATION_MS: '999',
    };
    let error: unknown;
    try {
      loadConfig({ ...bad, JOB_QUEUE_PREFIX: 'two words' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems).toHaveLength(5);
    for (const name of Object.keys(bad)) expect(problems.some((p) => p.startsWith(`${name} must be an integer`))).toBe(true);
    expect(problems).toContain("JOB_QUEUE_PREFIX must be up to 100 letters, digits or _ . : { } -, got 'two words'");
    for (const prefix of ['', 'x'.repeat(101), 'a\tb', 'ü']) {
      const refused = prefix === '' ? [] : [expect.stringMatching(/^JOB_QUEUE_PREFIX must be/)];
      let problemsOfPrefix: string[] = [];
      try {
        loadConfig({ JOB_QUEUE_PREFIX: prefix });
      } catch (e) {
        problemsOfPrefix = (e as ConfigError).problems;
      }
      // an empty value is an absent one: the engine's default
      expect(problemsOfPrefix).toEqual(refused);
    }
  });

  it('refuses to run open in production unless AUTH_DISABLED=true', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_DISABLED=true/);
    expect(loadConfig({ NODE_ENV: 'production', AUTH_DISABLED: 'true' }).nodeEnv).toBe('production');
  });
});

describe.each(testBackends())('start-up on %s', (backend) => {
  it('answers 503 UNAVAILABLE on /health and the API until the engine is ready, then serves', async () => {
    const db = await createTestDatabase(backend, 'server/start-up');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { app } = await buildTestApp(() => gate.then(() => createEngine(db.options)), { waitForEngine: false });
    try {
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'starting', engine: { status: 'starting' }, error: { code: 'UNAVAILABLE' } });

      for (const [method, url] of [['GET', '/definitions'], ['POST', '/instances'], ['GET', '/tasks/statistics']] as const) {
        const res = await call(app, method, url, method === 'POST' ? { process_definition_key: 'x' } : undefined);
        expectError(res, 503, 'UNAVAILABLE');
        expect(res.headers['retry-after']).toBeDefined();
      }
      // The documents need no engine.
      expect((await app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);

      release();
      await engineReady(app);
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      expect((await call(app, 'GET', '/definitions')).statusCode).toBe(200);
    } finally {
      await app.close();
      await db.drop();
    }
  });
});

describe('an engine that cannot start', () => {
  it('keeps /health and the API at 503', async () => {
    const { app } = await buildTestApp(() => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.1:5432')), { waitForEngine: false });
    try {
      await new Promise((r) => setTimeout(r, 10));
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'unhealthy', engine: { status: 'unhealthy' } });
      const res = await call(app, 'GET', '/instances');
      expectError(res, 503, 'UNAVAILABLE');
      expect(res.body).not.toMatch(/ECONNREFUSED/);
    } finally {
      await app.close();
    }
  });
});

/** Every route of the API, as the OpenAPI document writes it. */
const ROUTES: [string, string][] = [
  ['post', '/definitions'], ['get', '/definitions'], ['get', '/definitions/{id}'], ['put', '/definitions/{id}'],
  ['delete', '/definitions/{id}'], ['put', '/definitions/{id}/suspended'],
  ['post', '/instances'], ['get', '/instances'], ['get', '/instances/{id}'], ['delete', '/instances/{id}'],
  ['put', '/instances/{id}/suspended'], ['get', '/instances/{id}/variables'], ['put', '/instances/{id}/variables'],
  ['get', '/tasks'], ['get', '/tasks/statistics'], ['get', '/tasks/{id}'], ['post', '/tasks/{id}/claim'],
  ['post', '/tasks/{id}/unclaim'], ['post', '/tasks/{id}/assign'], ['post', '/tasks/{id}/delegate'],
  ['post', '/tasks/{id}/resolve'], ['post', '/tasks/{id}/complete'],
  ['post', '/external-tasks/fetch-and-lock'], ['get', '/external-tasks'], ['post', '/external-tasks/{id}/complete'],
  ['post', '/external-tasks/{id}/failure'], ['post', '/external-tasks/{id}/bpmn-error'], ['post', '/external-tasks/{id}/extend-lock'],
  ['post', '/messages'], ['post', '/signals'],
  ['get', '/jobs'], ['get', '/jobs/{id}'], ['post', '/jobs/{id}/execute'], ['put', '/jobs/{id}/retries'],
  ['get', '/incidents'], ['get', '/incidents/{id}'], ['post', '/incidents/{id}/resolve'], ['post', '/incidents/{id}/escalate'],
  ['get', '/statistics'], ['get', '/performance'], ['get', '/bottlenecks'],
];

describe.each(testBackends())('service on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'service');
  });
  afterAll(() => t?.close());

  it('reports health in the seed\'s shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      status: 'healthy',
      engine: { type: 'embedded', storage: backend === 'postgres' ? 'postgresql' : 'pglite', status: 'healthy' },
      dependencies: { database: 'healthy' },
      performance: { active_instances: 0, pending_tasks: 0, open_incidents: 0 },
      auth: { mode: 'none' },
    });
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Date.parse(body.timestamp)).not.toBeNaN();
    expect(body.performance.memory_usage.rss).toBeGreaterThan(0);
    expect(body.dependencies.redis).toBeUndefined();
    expect(body.error).toBeUndefined();
    expectContractKept(t);
  });

  it('checks Redis when REDIS_URL is set', async () => {
    // Apps sharing the test's engine, which only the test's own app may close.
    const engine: Engine = t.app.engine;
    const borrowed = new Proxy(engine, {
      get: (target, prop) => {
        const value: unknown = Reflect.get(target, prop);
        if (prop === 'close') return async () => {};
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const withRedis = (url: string) => buildTestApp(async () => borrowed, { env: { REDIS_URL: url } });
    const up = await withRedis('redis://127.0.0.1:6379');
    const down = await withRedis('redis://127.0.0.1:1');
    try {
      const healthy = await up.app.inject({ method: 'GET', url: '/health' });
      expect(healthy.json().dependencies).toEqual({ database: 'healthy', redis: 'healthy' });
      const broken = await down.app.inject({ method: 'GET', url: '/health' });
      expect(broken.statusCode).toBe(503);
      expect(broken.json()).toMatchObject({ status: 'unhealthy', dependencies: { redis: 'unhealthy' }, error: { code: 'UNAVAILABLE' } });
    } finally {
      await Promise.all([up.app.close(), down.app.close()]);
    }
  });

  it('serves Prometheus metrics with request durations by route', async () => {
    await call(t.app, 'GET', '/definitions');
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/process_cpu_user_seconds_total/);
    expect(res.body).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/processes\/definitions",status_code="200"\} \d+/);
  });

  it('documents every route in an OpenAPI 3.1 document whose references all resolve', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`));
    for (const [method, path] of ROUTES) expect(documented).toContain(`${method} ${API_PREFIX}${path}`);
    expect(documented).toContain('get /health');
    expect(documented).toContain('get /metrics');

    const refs = [...res.body.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas[ref.split('/').pop()!], ref).toBeDefined();
    }
    expect(doc.paths[`${API_PREFIX}/definitions`].post.requestBody.content).toHaveProperty('multipart/form-data');
    expect(Object.keys(doc.paths[`${API_PREFIX}/instances/{id}`].delete.responses)).toContain('204');
    expect(Object.keys(doc.paths[`${API_PREFIX}/jobs/{id}/execute`].post.responses)).toEqual(expect.arrayContaining(['204', '404', '409']));
    expect(doc.paths[`${API_PREFIX}/jobs/{id}/execute`].post.requestBody?.required).not.toBe(true);
  });

  it('serves browsable docs at /docs', async () => {
    let res = await t.app.inject({ method: 'GET', url: '/docs' });
    if (res.statusCode === 302) res = await t.app.inject({ method: 'GET', url: `/docs/${res.headers.location}`.replace('/docs/./', '/docs/') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toMatch(/swagger/i);
  });

  it('answers unknown routes with 404 NOT_FOUND in the envelope', async () => {
    expectError(await t.app.inject({ method: 'GET', url: '/nowhere' }), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'GET', '/nowhere'), 404, 'NOT_FOUND');
    expectError(await call(t.app, 'PATCH' as 'GET', '/definitions'), 404, 'NOT_FOUND');
  });

  it('refuses bodies that are neither JSON nor, for deployments, XML with 415', async () => {
    const res = await call(t.app, 'POST', '/instances', 'process_definition_key=x', { 'content-type': 'text/plain' });
    expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('echoes or issues a request id', async () => {
    const given = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'trace-42' } });
    expect(given.headers['x-request-id']).toBe('trace-42');
    const issued = await t.app.inject({ method: 'GET', url: '/health' });
    expect(issued.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

// The management UI's built files are served at `/` beside the API, whose paths keep their JSON answers.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '@dadms/process-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, expectError } from './support.js';

/** the UI needs no engine: one that never starts keeps the API at 503 */
const engineNeverReady = () => new Promise<Engine>(() => {});

describe('the management UI', () => {
  const root = mkdtempSync(join(tmpdir(), 'web-ui-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Process manager</title>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log("ui")');
  let app: Awaited<ReturnType<typeof buildTestApp>>['app'];
  beforeAll(async () => {
    ({ app } = await buildTestApp(engineNeverReady, { waitForEngine: false, webRoot: root }));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at / and never lets a browser keep a stale one', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('<title>Process manager</title>');
  });

  it('serves the hashed assets for good', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body).toBe('console.log("ui")');
  });

  it('leaves the API, its 404s and /docs as they were', async () => {
    expectError(await app.inject({ method: 'GET', url: '/assets/missing.js' }), 404, 'NOT_FOUND');
    expectError(await app.inject({ method: 'GET', url: '/api/processes/definitions' }), 503, 'UNAVAILABLE');
    expect((await app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
    expect((await app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
  });

  it('explains at / how to build a UI that is missing', async () => {
    const { app: bare } = await buildTestApp(engineNeverReady, { waitForEngine: false, webRoot: join(root, 'nothing-here') });
    try {
      const error = expectError(await bare.inject({ method: 'GET', url: '/' }), 404, 'NOT_FOUND');
      expect(error.message).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });
});

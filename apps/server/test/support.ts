// What the server's tests share: an app over a real engine on a database of its own, request helpers, and
// the contract check that every answer matches its route's response schema.
import { createEngine, type EngineOptions } from '@dadms/process-engine';
import { createTestDatabase, type BackendName, type TestDatabase } from '@dadms/process-engine/testing';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { API_PREFIX, buildApp, type AppOptions } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import type { ResponseMismatch } from '../src/schema-compilers.js';

export const testConfig = (env: Record<string, string> = {}) => loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env });

/** The problems loadConfig reports for an environment: none when it loads. */
export function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

export interface TestApp {
  app: FastifyInstance;
  /** answers that did not match their response schema since the last check */
  mismatches: ResponseMismatch[];
  close(): Promise<void>;
}

/** Builds the app, waiting for its engine unless told not to. */
export async function buildTestApp(
  startEngine: AppOptions['startEngine'],
  options: { env?: Record<string, string>; waitForEngine?: boolean; webRoot?: string; idempotency?: AppOptions['idempotency'] } = {},
): Promise<Omit<TestApp, 'close'>> {
  const mismatches: ResponseMismatch[] = [];
  const app = await buildApp({
    config: testConfig(options.env), startEngine, onResponseMismatch: (m) => mismatches.push(m), webRoot: options.webRoot,
    idempotency: options.idempotency,
  });
  await app.ready();
  if (options.waitForEngine !== false) await engineReady(app);
  return { app, mismatches };
}

export async function engineReady(app: FastifyInstance): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (app.engineStatus === 'starting' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (app.engineStatus !== 'ready') throw new Error(`the engine did not start: ${app.engineStatus}`);
}

/**
 * The app over a fresh database of the backend, for one test file; `engine` adds to the engine's options,
 * `env` to the service's environment.
 */
export async function startTestApp(
  backend: BackendName,
  label: string,
  engine: Omit<EngineOptions, 'databaseUrl' | 'dataDir'> = {},
  env: Record<string, string> = {},
): Promise<TestApp> {
  const db: TestDatabase = await createTestDatabase(backend, `server/${label}`);
  // The configuration names the same store as the engine, so /health reports it.
  const store: Record<string, string> = db.options.databaseUrl ? { DATABASE_URL: db.options.databaseUrl } : {};
  const { app, mismatches } = await buildTestApp((_log, observer) => createEngine({ ...db.options, observer, ...engine }), { env: { ...store, ...env } });
  return {
    app,
    mismatches,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** Every answer so far matched its documented schema; then starts over. */
export function expectContractKept(t: TestApp): void {
  const found = t.mismatches.splice(0);
  expect(found).toEqual([]);
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A request to the API under its base path; a JSON body unless `payload` is a string or Buffer. */
export const call = (
  app: FastifyInstance,
  method: Method,
  path: string,
  payload?: InjectOptions['payload'],
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> => app.inject({ method, url: `${API_PREFIX}${path}`, payload, headers });

/** The error envelope of an answer, checked to have the given status and code. */
export function expectError(res: LightMyRequestResponse, status: number, code: string) {
  expect({ status: res.statusCode, code: res.json().error?.code }, res.body).toEqual({ status, code });
  const { error } = res.json() as { error: { code: string; message: string; details?: Record<string, unknown> } };
  expect(typeof error.message).toBe('string');
  return error;
}

/** A multipart/form-data body made of text fields and files. */
export function multipart(parts: { name: string; value: string; filename?: string }[]) {
  const boundary = `----test${Math.random().toString(16).slice(2)}`;
  const chunks = parts.map((p) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}\r\n` +
    `${p.filename ? 'Content-Type: application/xml\r\n' : ''}\r\n${p.value}\r\n`);
  return {
    payload: Buffer.from(`${chunks.join('')}--${boundary}--\r\n`),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A UUID the engine never issued: right format, names nothing. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

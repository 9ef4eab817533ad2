// Databases for tests of the engine and of services embedding it: every test file gets a database of
// its own, so files run in parallel and repeated runs never collide.
import { createHash, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS_DIR } from '../persistence/migrate.js';
import { openDatabase } from '../persistence/open-database.js';
import { libpqHost, postgresClient } from '../persistence/postgres-client.js';

export type BackendName = 'pglite' | 'postgres';

export interface TestDatabase {
  backend: BackendName;
  /** options for createEngine */
  options: { databaseUrl?: string; dataDir?: string };
  drop(): Promise<void>;
}

/** The real PostgreSQL the suite runs against (trust auth on the local server by default). */
export const testPostgresUrl = (): string => process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Backends every engine test runs on: PGlite always, the real PostgreSQL unless TEST_BACKENDS narrows it. */
export const testBackends = (): BackendName[] =>
  (process.env.TEST_BACKENDS ?? 'pglite,postgres').split(',').map((s) => s.trim()).filter(Boolean) as BackendName[];

/** the URL of database `name` on the server of testPostgresUrl() */
export function testDatabaseUrl(name: string): string {
  const { url: server, host } = libpqHost(testPostgresUrl());
  const url = new URL(server);
  url.pathname = `/${name}`;
  if (host !== undefined) url.searchParams.set('host', host);
  return url.toString();
}

export async function createTestDatabase(backend: BackendName, label: string): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const template = await pgliteTemplate();
    const dir = mkdtempSync(join(tmpdir(), 'pm-pglite-'));
    const dataDir = join(dir, 'data');
    cpSync(template, dataDir, { recursive: true });
    return { backend, options: { dataDir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `pm_test_${createHash('sha1').update(`${label}:${randomUUID()}`).digest('hex').slice(0, 16)}`;
  const admin = await postgresClient(testPostgresUrl(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    backend,
    options: { databaseUrl: testDatabaseUrl(name) },
    drop: async () => {
      const a = await postgresClient(testPostgresUrl(), { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

let template: Promise<string> | undefined;

/**
 * A new PGlite directory costs seconds (initdb, migrations); a copy of a migrated, cleanly closed one
 * costs milliseconds, as PostgreSQL's CREATE DATABASE … TEMPLATE does. One template per schema version
 * is shared by every test process: it is built aside and renamed into place, so racing builders are harmless.
 */
function pgliteTemplate(): Promise<string> {
  template ??= (async () => {
    // names too: a migration is applied once by its name, so a renamed one makes another schema history
    const migrations = readdirSync(MIGRATIONS_DIR).sort().map((f) => `${f}\0${readFileSync(join(MIGRATIONS_DIR, f), 'utf8')}`).join('\0');
    const path = join(tmpdir(), `pm-pglite-template-${createHash('sha1').update(migrations).digest('hex').slice(0, 16)}`);
    if (existsSync(path)) return path;
    const build = mkdtempSync(join(tmpdir(), 'pm-pglite-build-'));
    const opened = await openDatabase({ dataDir: join(build, 'data') });
    await opened.close();
    try {
      renameSync(join(build, 'data'), path);
    } catch (e) {
      if (!existsSync(path)) throw e;
    }
    rmSync(build, { recursive: true, force: true });
    return path;
  })();
  return template;
}

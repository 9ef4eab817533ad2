// Opens the store the options name: PostgreSQL through postgres.js, or PGlite in a directory (the
// embedded default) or in memory. Migrations are applied before the database is handed out.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import { EngineError } from '../errors.js';
import type { Database } from './database.js';
import { migrate } from './migrate.js';
import { PGliteDialect } from './pglite-dialect.js';

export interface OpenedDatabase {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

export async function openDatabase(options: { databaseUrl?: string; dataDir?: string; poolSize?: number }): Promise<OpenedDatabase> {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, { max: options.poolSize ?? 10, onnotice: () => {} });
    const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: client }) });
    await migrateOrClose(db);
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const release = options.dataDir ? lockDataDir(options.dataDir) : () => {};
  try {
    if (options.dataDir) mkdirSync(dirname(options.dataDir), { recursive: true });
    const pg = await PGlite.create(options.dataDir);
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pg) });
    await migrateOrClose(db);
    return { db, kind: 'pglite', close: async () => { await db.destroy(); release(); } };
  } catch (e) {
    release();
    throw e;
  }
}

async function migrateOrClose(db: Kysely<Database>) {
  try {
    await migrate(db);
  } catch (e) {
    await db.destroy();
    throw new EngineError('UNAVAILABLE', `The database could not be opened: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * PGlite has no lock of its own: two processes on one directory both "succeed" and lose rows.
 * A lock file created exclusively refuses the second one; a lock left by a dead process is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lock = `${dataDir}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (holderAlive(lock)) throw new EngineError('UNAVAILABLE', `The data directory ${dataDir} is in use by another process (${lock})`);
      rmSync(lock, { force: true });
    }
  }
}

function holderAlive(lock: string): boolean {
  const pid = Number(readFileSync(lock, 'utf8'));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

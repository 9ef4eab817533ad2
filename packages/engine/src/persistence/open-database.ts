// Opens the store the options name: PostgreSQL through postgres.js, or PGlite in a directory (the
// embedded default) or in memory. Migrations are applied before the database is handed out.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, type Transaction } from 'kysely';
import type { TransactionSql } from 'postgres';
import { EngineError } from '../errors.js';
import type { Database } from './database.js';
import type { Listen } from '../events/outbox-relay.js';
import { joinTransaction } from './joined-transaction.js';
import { migrate } from './migrate.js';
import { PGliteDialect } from './pglite-dialect.js';
import { openPGlite } from './pglite-store.js';
import { postgresClient } from './postgres-client.js';
import { PostgresDialect } from './postgres-dialect.js';
import { StateCache } from './state-cache.js';
import { transactionViews, type TransactionViews } from './transaction-views.js';

/** instances whose rows the embedded store's cache keeps by default: those a burst of commands is working on */
const STATE_CACHE_INSTANCES = 1_000;

export interface OpenedDatabase {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  /** lets several commands use one open transaction at once */
  views: TransactionViews;
  /** notifications of a channel, on a connection of their own (PostgreSQL; PGlite has one process only) */
  listen?: Listen;
  /** the caller's own transaction on the same PostgreSQL, as the engine's commands use one (PostgreSQL only) */
  join?: (transaction: TransactionSql) => Transaction<Database>;
  /** the rows of instances this process wrote last (PGlite, which no other process writes) */
  stateCache?: StateCache;
  close(): Promise<void>;
}

export async function openDatabase(options: { databaseUrl?: string; dataDir?: string; poolSize?: number; instanceCache?: number }): Promise<OpenedDatabase> {
  if (options.databaseUrl) {
    // No JIT: the engine's statements are short, and an analytics read over a grown store whose plan is costed
    // high (a misestimate is enough) spent 0.1 to 1 s compiling it on every call, more than it ran.
    const client = await postgresClient(options.databaseUrl, { max: options.poolSize ?? 10, onnotice: () => {}, connection: { jit: 'off' } });
    const dialect = new PostgresDialect(client);
    const db = new Kysely<Database>({ dialect });
    await migrateOrClose(db);
    const listen: Listen = async (channel, onNotify) => {
      const listening = await client.listen(channel, onNotify);
      return () => listening.unlisten();
    };
    return {
      db, kind: 'postgres', views: transactionViews(dialect), listen, join: (transaction) => joinTransaction(dialect, db, transaction), close: () => db.destroy(),
    };
  }
  const release = options.dataDir ? lockDataDir(options.dataDir) : () => {};
  try {
    if (options.dataDir) mkdirSync(dirname(options.dataDir), { recursive: true });
    const pg = await openPGlite(options.dataDir);
    const size = options.instanceCache ?? STATE_CACHE_INSTANCES;
    const stateCache = size > 0 ? new StateCache(size) : undefined;
    const dialect = new PGliteDialect(pg, stateCache && ((q) => stateCache.saw(q)));
    const db = new Kysely<Database>({ dialect });
    await migrateOrClose(db);
    return { db, kind: 'pglite', views: transactionViews(dialect), stateCache, close: async () => { await db.destroy(); release(); } };
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

/** the locks this process holds: a lock naming this process's pid that is not among them was left by another */
const heldLocks = new Set<string>();

/**
 * PGlite has no lock of its own: two processes on one directory both "succeed" and lose rows.
 * A lock file created exclusively refuses the second one; a lock left by a dead process is taken over.
 * A pid alone does not name a process for good: after a crash, the pid in the lock may belong to
 * another process by the time the store is opened again (pids wrap around; a restarted container's
 * server often gets its predecessor's very pid). So the lock also records when its process started,
 * where the system says (Linux), and a live pid whose process started at another time is not the holder.
 */
function lockDataDir(dataDir: string): () => void {
  const lock = resolve(`${dataDir}.lock`);
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    try {
      writeFileSync(lock, JSON.stringify({ pid: process.pid, ...processIdentity(process.pid) }), { flag: 'wx' });
      heldLocks.add(lock);
      return () => {
        heldLocks.delete(lock);
        rmSync(lock, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (holderAlive(lock)) throw new EngineError('UNAVAILABLE', `The data directory ${dataDir} is in use by another process (${lock})`);
      rmSync(lock, { force: true });
    }
  }
}

interface LockHolder {
  pid: number;
  /** the process's start time in clock ticks since boot, and the boot's id: absent where unknown */
  start?: string;
  boot?: string;
}

/** an empty lock younger than this is being written by the process that just created it */
const LOCK_WRITE_GRACE_MS = 5_000;

function holderAlive(lock: string): boolean {
  let text: string;
  try {
    text = readFileSync(lock, 'utf8');
  } catch (e) {
    // removed meanwhile: free
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  if (text.trim() === '') return Date.now() - writtenAt(lock) < LOCK_WRITE_GRACE_MS;
  const holder = parseHolder(text);
  if (!holder) return false;
  if (holder.pid === process.pid) {
    // this process: in use if one of its engines holds the lock; else the lock is a predecessor's with the same pid
    return heldLocks.has(lock);
  }
  try {
    process.kill(holder.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (holder.start === undefined) return true;
  const now = processIdentity(holder.pid);
  // a live pid started at another time, or in another boot, is another process
  return now.start === undefined || (now.start === holder.start && now.boot === holder.boot);
}

function writtenAt(lock: string): number {
  try {
    return statSync(lock).mtimeMs;
  } catch {
    return 0;
  }
}

/** `{"pid":…,"start":…,"boot":…}`, or a bare pid as older versions wrote it */
function parseHolder(text: string): LockHolder | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value === 'number') value = { pid: value };
  if (typeof value !== 'object' || value === null) return undefined;
  const { pid, start, boot } = value as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, start: typeof start === 'string' ? start : undefined, boot: typeof boot === 'string' ? boot : undefined };
}

/** when the process started (Linux: field 22 of /proc/<pid>/stat) and in which boot; empty elsewhere or when gone */
function processIdentity(pid: number): { start?: string; boot?: string } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) is in parentheses and may hold spaces; the fields after it start at 3
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    if (!start || !/^\d+$/.test(start)) return {};
    return { start, boot: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() };
  } catch {
    return {};
  }
}

// A Kysely dialect over PGlite. The published dialect packages lack savepoints and pin an old PGlite,
// so this small one is kept here. PGlite is one backend, so "connections" are handed out one at a time.
import type { PGliteInterface } from '@electric-sql/pglite';
import {
  CompiledQuery, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  type DatabaseConnection, type DatabaseIntrospector, type Dialect, type DialectAdapter, type Driver,
  type Kysely, type QueryCompiler, type QueryResult, type TransactionSettings,
} from 'kysely';

class PGliteConnection implements DatabaseConnection {
  constructor(readonly pg: PGliteInterface) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const res = await this.pg.query<R>(q.sql, [...q.parameters]);
    // COMMIT of an aborted transaction answers with a ROLLBACK tag; the driver turns that into an error
    const cmd = res.command;
    if (cmd === 'COMMIT' || cmd === 'ROLLBACK') return { rows: [{ command: cmd } as R] };
    const dml = cmd === 'INSERT' || cmd === 'UPDATE' || cmd === 'DELETE' || cmd === 'MERGE';
    return { rows: res.rows ?? [], ...(dml ? { numAffectedRows: BigInt(res.affectedRows ?? 0) } : {}) };
  }

  async *streamQuery<R>(q: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const res = await this.pg.query<R>(q.sql, [...q.parameters]);
    for (let i = 0; i < res.rows.length; i += chunkSize) yield { rows: res.rows.slice(i, i + chunkSize) };
  }
}

const quoteName = (name: string) => `"${name.replaceAll('"', '""')}"`;

class PGliteDriver implements Driver {
  #conn: PGliteConnection;
  #busy = false;
  #waiters: (() => void)[] = [];

  constructor(private readonly pg: PGliteInterface) {
    this.#conn = new PGliteConnection(pg);
  }

  async init() {
    await this.pg.waitReady;
  }

  async acquireConnection() {
    if (this.#busy) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    this.#busy = true;
    return this.#conn;
  }

  async releaseConnection() {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#busy = false;
  }

  async beginTransaction(c: DatabaseConnection, s: TransactionSettings) {
    let q = 'start transaction';
    if (s.isolationLevel) q += ` isolation level ${s.isolationLevel}`;
    if (s.accessMode) q += ` ${s.accessMode}`;
    await c.executeQuery(CompiledQuery.raw(q));
  }

  async commitTransaction(c: DatabaseConnection) {
    const { rows } = await c.executeQuery<{ command: string }>(CompiledQuery.raw('commit'));
    if (rows[0]?.command === 'ROLLBACK') throw new Error('commit failed: the transaction was aborted and has been rolled back');
  }

  async rollbackTransaction(c: DatabaseConnection) {
    await c.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(c: DatabaseConnection, name: string) {
    await c.executeQuery(CompiledQuery.raw(`savepoint ${quoteName(name)}`));
  }

  async rollbackToSavepoint(c: DatabaseConnection, name: string) {
    await c.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteName(name)}`));
  }

  async releaseSavepoint(c: DatabaseConnection, name: string) {
    await c.executeQuery(CompiledQuery.raw(`release savepoint ${quoteName(name)}`));
  }

  async destroy() {
    await this.pg.close();
  }
}

export class PGliteDialect implements Dialect {
  constructor(private readonly pg: PGliteInterface) {}
  createAdapter(): DialectAdapter { return new PostgresAdapter(); }
  createDriver(): Driver { return new PGliteDriver(this.pg); }
  createQueryCompiler(): QueryCompiler { return new PostgresQueryCompiler(); }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector { return new PostgresIntrospector(db); }
}

// A Kysely dialect over PGlite. The published dialect packages lack savepoints and pin an old PGlite,
// so this small one is kept here. PGlite is one backend, so "connections" are handed out one at a time.
import type { PGliteInterface } from '@electric-sql/pglite';
import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely';
import { queryResult, SqlDialect, SqlDriver } from './sql-dialect.js';

class PGliteConnection implements DatabaseConnection {
  constructor(readonly pg: PGliteInterface) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const res = await this.pg.query<R>(q.sql, [...q.parameters]);
    return queryResult(res.command, res.rows ?? [], res.affectedRows);
  }

  async *streamQuery<R>(q: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const res = await this.pg.query<R>(q.sql, [...q.parameters]);
    for (let i = 0; i < res.rows.length; i += chunkSize) yield { rows: res.rows.slice(i, i + chunkSize) };
  }
}

class PGliteDriver extends SqlDriver {
  #conn: PGliteConnection;
  #busy = false;
  #waiters: (() => void)[] = [];

  constructor(private readonly pg: PGliteInterface) {
    super();
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

  async destroy() {
    await this.pg.close();
  }
}

export class PGliteDialect extends SqlDialect {
  constructor(pg: PGliteInterface) {
    super(() => new PGliteDriver(pg));
  }
}

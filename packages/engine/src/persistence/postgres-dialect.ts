// A Kysely dialect over postgres.js, kept here for what a command needs of it: a transaction's BEGIN
// goes out with its first statement instead of costing a round trip of its own, a COMMIT that the
// server turned into a ROLLBACK is an error, and closing waits for queries in flight only so long.
import type { CompiledQuery, DatabaseConnection, QueryResult, TransactionSettings } from 'kysely';
import type { ReservedSql, Sql } from 'postgres';
import { beginStatement, queryResult, SqlDialect, SqlDriver } from './sql-dialect.js';

/** how long closing lets queries in flight finish before their connections are cut */
const CLOSE_TIMEOUT_S = 5;

class PostgresConnection implements DatabaseConnection {
  /** a BEGIN sent and not yet answered: the next statement goes right behind it and answers for both */
  #begun: Promise<unknown> | undefined;

  constructor(readonly reserved: ReservedSql) {}

  begin(statement: string): void {
    // postgres.js sends a query once something waits for it; this sends it now
    const begun = this.reserved.unsafe(statement).execute();
    begun.catch(() => {});
    this.#begun = begun;
  }

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const begun = this.#begun;
    this.#begun = undefined;
    const [, result] = await Promise.all([begun, this.reserved.unsafe(q.sql, [...q.parameters] as never[]).execute()]);
    return queryResult(result.command, [...result] as R[], result.count);
  }

  async *streamQuery<R>(q: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    for await (const rows of this.reserved.unsafe(q.sql, [...q.parameters] as never[]).cursor(chunkSize)) yield { rows: rows as R[] };
  }
}

class PostgresDriver extends SqlDriver {
  constructor(private readonly sql: Sql) {
    super();
  }

  async init() {}

  async acquireConnection() {
    return new PostgresConnection(await this.sql.reserve());
  }

  async releaseConnection(connection: DatabaseConnection) {
    (connection as PostgresConnection).reserved.release();
  }

  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    (connection as PostgresConnection).begin(beginStatement(settings));
  }

  async destroy() {
    await this.sql.end({ timeout: CLOSE_TIMEOUT_S });
  }
}

export class PostgresDialect extends SqlDialect {
  constructor(sql: Sql) {
    super(() => new PostgresDriver(sql));
  }
}

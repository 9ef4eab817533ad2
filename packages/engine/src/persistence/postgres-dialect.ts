// A Kysely dialect over postgres.js, kept here for what a command needs of it: a transaction's BEGIN
// goes out with its first statement instead of costing a round trip of its own, statements that recur
// are prepared, a COMMIT that the server turned into a ROLLBACK is an error, and closing waits for
// queries in flight only so long, and then fails every one still waiting.
import type { CompiledQuery, DatabaseConnection, QueryResult, TransactionSettings } from 'kysely';
import type { ReservedSql, Sql } from 'postgres';
import { RecurringStatements } from './recurring-statements.js';
import { beginStatement, queryResult, SqlDialect, SqlDriver } from './sql-dialect.js';

/** how long closing lets queries in flight finish before their connections are cut */
const CLOSE_TIMEOUT_S = 5;

/**
 * What waits on the pool: statements for their answer, and commands for a connection. postgres.js can
 * leave some of them waiting for good once the pool has ended: the statements queued behind the one a
 * reserved connection was running when the close's timeout cut it (the statements a transaction sends
 * together), those sent on it afterwards, and a connection asked for while one was still opening.
 * Once the pool has ended they fail here, or their commands would wait forever. Each waits in a race with
 * a promise that fails then, one per connection: one for the whole pool would gather a reaction for every
 * statement ever sent, and a promise of our own around each statement cost a tenth of a command's time.
 */
class Closing {
  readonly #watches = new Set<(error: Error) => void>();
  #ended: Error | undefined;

  /** a promise that fails once the pool has ended; `done` lets go of it */
  watch(): { ended: Promise<never>; done(): void } {
    if (this.#ended) return { ended: Promise.reject(this.#ended), done() {} };
    let fail!: (error: Error) => void;
    const ended = new Promise<never>((_, reject) => {
      fail = reject;
    });
    ended.catch(() => {});
    this.#watches.add(fail);
    return { ended, done: () => this.#watches.delete(fail) };
  }

  end(error: Error): void {
    this.#ended = error;
    for (const fail of this.#watches) fail(error);
  }
}

class PostgresConnection implements DatabaseConnection {
  /** a BEGIN sent and not yet answered: the next statement goes right behind it and answers for both */
  #begun: Promise<unknown> | undefined;

  constructor(
    readonly reserved: ReservedSql,
    private readonly statements: RecurringStatements,
    readonly closing: ReturnType<Closing['watch']>,
  ) {}

  begin(statement: string): void {
    // postgres.js sends a query once something waits for it; this sends it now
    const begun = this.reserved.unsafe(statement).execute();
    begun.catch(() => {});
    this.#begun = begun;
  }

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const begun = this.#begun;
    this.#begun = undefined;
    const answered = Promise.all([begun, sendStatement(this.reserved, q, this.statements.prepare(q))]);
    const [, result] = await Promise.race([answered, this.closing.ended]);
    return statementResult<R>(result);
  }

  streamQuery<R>(q: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    return streamStatement(this.reserved, q, chunkSize);
  }
}

/** sends a compiled statement on a postgres.js connection or transaction now */
export const sendStatement = (sql: Pick<Sql, 'unsafe'>, q: CompiledQuery, prepare: boolean) =>
  sql.unsafe(q.sql, [...q.parameters] as never[], { prepare }).execute();

export const statementResult = <R>(result: Awaited<ReturnType<typeof sendStatement>>): QueryResult<R> =>
  queryResult(result.command, [...result] as R[], result.count);

export async function* streamStatement<R>(sql: Pick<Sql, 'unsafe'>, q: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
  for await (const rows of sql.unsafe(q.sql, [...q.parameters] as never[]).cursor(chunkSize)) yield { rows: rows as R[] };
}

class PostgresDriver extends SqlDriver {
  readonly #statements = new RecurringStatements();
  readonly #closing = new Closing();

  constructor(private readonly sql: Sql) {
    super();
  }

  async init() {}

  async acquireConnection() {
    const closing = this.#closing.watch();
    try {
      return new PostgresConnection(await Promise.race([this.sql.reserve(), closing.ended]), this.#statements, closing);
    } catch (e) {
      closing.done();
      throw e;
    }
  }

  async releaseConnection(connection: DatabaseConnection) {
    const { reserved, closing } = connection as PostgresConnection;
    closing.done();
    reserved.release();
  }

  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    (connection as PostgresConnection).begin(beginStatement(settings));
  }

  async destroy() {
    await this.sql.end({ timeout: CLOSE_TIMEOUT_S });
    this.#closing.end(new Error('The database was closed'));
  }
}

export class PostgresDialect extends SqlDialect {
  constructor(sql: Sql) {
    super(() => new PostgresDriver(sql));
  }
}

// What the engine's two Kysely dialects share: PostgreSQL's syntax, and transactions and savepoints as
// plain statements on the connection. Each dialect brings how connections are had and given back.
import {
  CompiledQuery, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  type DatabaseConnection, type DatabaseIntrospector, type Dialect, type DialectAdapter, type Driver,
  type Kysely, type QueryCompiler, type TransactionSettings,
} from 'kysely';

const quoteName = (name: string) => `"${name.replaceAll('"', '""')}"`;

export const beginStatement = (s: TransactionSettings): string => {
  let q = 'start transaction';
  if (s.isolationLevel) q += ` isolation level ${s.isolationLevel}`;
  if (s.accessMode) q += ` ${s.accessMode}`;
  return q;
};

/** the server answered a COMMIT with ROLLBACK: a statement of the transaction had failed, and nothing of it took effect */
export class TransactionRolledBack extends Error {}

export abstract class SqlDriver implements Driver {
  abstract init(): Promise<void>;
  abstract acquireConnection(): Promise<DatabaseConnection>;
  abstract releaseConnection(connection: DatabaseConnection): Promise<void>;
  abstract destroy(): Promise<void>;

  async beginTransaction(c: DatabaseConnection, s: TransactionSettings): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(beginStatement(s)));
  }

  /** the server answers a COMMIT of a transaction that failed with ROLLBACK, and no error: that is one */
  async commitTransaction(c: DatabaseConnection): Promise<void> {
    const { rows } = await c.executeQuery<{ command: string }>(CompiledQuery.raw('commit'));
    if (rows[0]?.command === 'ROLLBACK') throw new TransactionRolledBack('commit failed: the transaction was aborted and has been rolled back');
  }

  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(c: DatabaseConnection, name: string): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(`savepoint ${quoteName(name)}`));
  }

  async rollbackToSavepoint(c: DatabaseConnection, name: string): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteName(name)}`));
  }

  async releaseSavepoint(c: DatabaseConnection, name: string): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(`release savepoint ${quoteName(name)}`));
  }
}

/** the rows Kysely expects of a statement, from its command tag; COMMIT and ROLLBACK answer their tag as a row */
export function queryResult<R>(command: string | undefined, rows: R[], affected: number | undefined) {
  if (command === 'COMMIT' || command === 'ROLLBACK') return { rows: [{ command } as R] };
  const dml = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
  return { rows, ...(dml ? { numAffectedRows: BigInt(affected ?? 0) } : {}) };
}

export class SqlDialect implements Dialect {
  #driver: Driver | undefined;
  constructor(private readonly driver: () => Driver) {}
  createAdapter(): DialectAdapter { return new PostgresAdapter(); }
  /** one driver per dialect: it owns the connections, so whoever asks again gets the same one */
  createDriver(): Driver { return (this.#driver ??= this.driver()); }
  createQueryCompiler(): QueryCompiler { return new PostgresQueryCompiler(); }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector { return new PostgresIntrospector(db); }
}

// A Kysely transaction over one that the embedding service opened on its own postgres.js client
// (Engine.withTransaction): the engine's statements go out on the caller's connection, inside its
// transaction, compiled and read as on the engine's own connections. They are not prepared, so that the
// caller's connections keep none of the engine's statements.
import type { DatabaseConnection, Dialect, Kysely, Transaction } from 'kysely';
import type { TransactionSql } from 'postgres';
import type { Database } from './database.js';
import { sendStatement, statementResult, streamStatement } from './postgres-dialect.js';
import { transactionOn } from './transaction-views.js';

export function joinTransaction(dialect: Dialect, db: Kysely<Database>, sql: TransactionSql): Transaction<Database> {
  const connection: DatabaseConnection = {
    executeQuery: async (q) => statementResult(await sendStatement(sql, q, false)),
    streamQuery: (q, chunkSize = 100) => streamStatement(sql, q, chunkSize),
  };
  return transactionOn(dialect, db.getExecutor().withConnectionProvider({ provideConnection: (consume) => consume(connection) }));
}

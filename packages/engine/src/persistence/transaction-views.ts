// Kysely runs a transaction's statements one at a time: each waits for the answer to the one before.
// Views of one open transaction let several commands use it at once: a statement of any view goes to the
// connection as soon as it is made, so the statements of commands running together travel together and
// the connection's driver sends them in order without waiting between them. Each view tells whether its
// command wrote anything, and the shared transaction whether a statement failed (which aborts it).
import { Transaction, type CompiledQuery, type DatabaseConnection, type Dialect, type QueryExecutor } from 'kysely';
import type { Database } from './database.js';

export interface TransactionView {
  trx: Transaction<Database>;
  /** a statement other than a plain SELECT went through this view */
  wrote: boolean;
}

export interface SharedTransaction {
  views: TransactionView[];
  /** a statement failed: the server refuses everything else in the transaction */
  aborted: boolean;
}

export type TransactionViews = <T>(trx: Transaction<Database>, count: number, run: (shared: SharedTransaction) => Promise<T>) => Promise<T>;

export function transactionViews(dialect: Dialect): TransactionViews {
  return (trx, count, run) => trx.getExecutor().provideConnection((connection) => {
    const shared: SharedTransaction = { views: [], aborted: false };
    for (let i = 0; i < count; i++) {
      const view = { wrote: false } as TransactionView;
      const watched: DatabaseConnection = {
        async executeQuery(q) {
          if (!isPlainSelect(q)) view.wrote = true;
          try {
            return await connection.executeQuery(q);
          } catch (e) {
            shared.aborted = true;
            throw e;
          }
        },
        streamQuery(q, chunkSize) {
          view.wrote = true;
          return connection.streamQuery(q, chunkSize);
        },
      };
      const executor = trx.getExecutor().withConnectionProvider({ provideConnection: (consume) => consume(watched) });
      view.trx = transactionOn(dialect, executor);
      shared.views.push(view);
    }
    return run(shared);
  });
}

/** a Transaction whose statements go where `executor` sends them */
export function transactionOn(dialect: Dialect, executor: QueryExecutor): Transaction<Database> {
  // a Transaction never uses its driver (it refuses transaction(), connection() and destroy()); the
  // dialect hands out the driver it made for the database
  return new Transaction<Database>({ config: { dialect }, dialect, driver: dialect.createDriver(), executor });
}

/** raw SQL may call anything, and a SELECT may carry data-modifying CTEs: only a SELECT that is one reads alone */
const isPlainSelect = (q: CompiledQuery) => q.query.kind === 'SelectQueryNode' && /^\s*select\b/i.test(q.sql);

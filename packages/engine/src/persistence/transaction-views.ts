// Kysely runs a transaction's statements one at a time: each waits for the answer to the one before.
// Views of one open transaction let several commands use it at once: a statement of any view goes to the
// connection as soon as it is made, so the statements of commands running together travel together and
// the connection's driver sends them in order without waiting between them.
import { Transaction, type Dialect } from 'kysely';
import type { Database } from './database.js';

export type TransactionViews = <T>(trx: Transaction<Database>, count: number, run: (views: Transaction<Database>[]) => Promise<T>) => Promise<T>;

export function transactionViews(dialect: Dialect): TransactionViews {
  // a Transaction never uses its driver (it refuses transaction(), connection() and destroy()); the
  // dialect hands out the driver it made for the database
  const props = { config: { dialect }, dialect, driver: dialect.createDriver() };
  return (trx, count, run) => trx.getExecutor().provideConnection((connection) => {
    const executor = trx.getExecutor().withConnectionProvider({ provideConnection: (consume) => consume(connection) });
    return run(Array.from({ length: count }, () => new Transaction<Database>({ ...props, executor })));
  });
}

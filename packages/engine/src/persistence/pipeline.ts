// Kysely runs a transaction's queries one at a time, each waiting for the answer to the one before.
// Statements sent here go to the connection together instead: the server still runs them in the
// order given (a lock taken by the first holds for the rest), but the command pays one round trip
// for the batch rather than one per statement.
import type { Compilable, Kysely } from 'kysely';

type Rows<Q> = { [K in keyof Q]: Q[K] extends Compilable<infer O> ? O[] : never };

/** runs the statements in order on one connection, without waiting between them; answers each one's rows */
export async function pipeline<D, const Q extends readonly Compilable<unknown>[]>(db: Kysely<D>, queries: Q): Promise<Rows<Q>> {
  const compiled = queries.map((q) => q.compile());
  // every answer is awaited, so that no statement is still running when the connection goes back
  const settled = await db.getExecutor().provideConnection((connection) => Promise.allSettled(compiled.map((c) => connection.executeQuery(c))));
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<{ rows: unknown[] }>).value.rows) as Rows<Q>;
}

/**
 * Sends the statements in order on the transaction's connection and lets the caller go on at once: what it
 * sends next on that connection, at the latest the COMMIT, goes right behind them, so a command's writes and
 * its COMMIT share one round trip. `answered` settles with their answers; the caller must keep it, since a
 * failed write shows only there (the COMMIT of the aborted transaction answers ROLLBACK).
 */
export async function send<D>(db: Kysely<D>, queries: readonly Compilable<unknown>[]): Promise<{ answered: Promise<void> }> {
  const compiled = queries.map((q) => q.compile());
  return db.getExecutor().provideConnection(async (connection) => {
    const settled = Promise.allSettled(compiled.map((c) => connection.executeQuery(c)));
    const answered = settled.then((outcomes) => {
      const failed = outcomes.find((s) => s.status === 'rejected');
      if (failed) throw failed.reason;
    });
    answered.catch(() => {});
    return { answered };
  });
}

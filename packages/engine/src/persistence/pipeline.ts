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

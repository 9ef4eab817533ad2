// An Idempotency-Key taken in the transaction of the command it guards. The key's row is inserted by the
// command's first transaction: the primary key lets one transaction in, and the command's effects and
// its key commit together or not at all. Another process that receives the same key at the same moment
// blocks on the row until the first commits, then finds it taken and rolls back; a process killed
// before its commit leaves neither, so a retry runs the command once.
import type { Transaction } from 'kysely';
import { EngineError } from '../errors.js';
import type { Database } from '../persistence/database.js';

/**
 * The status a key's row holds from the commit of its command until its answer is kept: the command has
 * taken effect, and a repeat waits for the answer instead of running it again.
 */
export const ANSWER_PENDING = 0;

export interface IdempotencyClaim {
  key: string;
  /** tells a repeat of this request from another request with the same key */
  request_hash: string;
  /** set by the engine once a command took the key in a transaction that committed */
  taken: boolean;
}

/** Another request holds the key: this command ran no part of itself and should answer as that one did. */
export class IdempotencyKeyTaken extends EngineError {
  constructor(readonly key: string) {
    super('CONFLICT', `The Idempotency-Key '${key}' was taken by another request`, { details: { idempotency_key: key } });
  }
}

export const isIdempotencyKeyTaken = (e: unknown): e is IdempotencyKeyTaken => e instanceof IdempotencyKeyTaken;

/** inserts the key's row in the command's transaction, or throws IdempotencyKeyTaken */
export async function takeIdempotencyKey(trx: Transaction<Database>, claim: IdempotencyClaim, now: Date): Promise<void> {
  const inserted = await trx.insertInto('idempotency_keys')
    .values({ key: claim.key, request_hash: claim.request_hash, status_code: ANSWER_PENDING, response: '', created_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  if (!inserted) throw new IdempotencyKeyTaken(claim.key);
}

// What commands in a caller's transaction hand out (jobs to dispatch, new external tasks to tell handlers
// of, events for the relay) must wait until that transaction commits, which only PostgreSQL knows. It
// says so: a notification sent in a transaction is delivered when the transaction commits, and never when
// it rolls back. So the engine listens on a channel of its own and adds a NOTIFY with a token to the
// caller's transaction, and hands the work out when the token arrives. Work whose token never comes (a
// rollback) is forgotten after a while; committed rows the announcement missed are still found by the job
// sweeper, the handlers' fetches and the relay's poll, as after a crash.
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Listen } from '../events/outbox-relay.js';
import type { Database } from '../persistence/database.js';
import type { CommittedWork } from './command-context.js';

const CHANNEL = 'process_engine_after_commit';
const FORGET_AFTER_MS = 10 * 60_000;

export class AfterCommit {
  readonly #waiting = new Map<string, { work: CommittedWork[]; timer: NodeJS.Timeout }>();
  #listening: Promise<() => Promise<void>> | undefined;

  constructor(
    private readonly listen: Listen,
    private readonly announce: (work: CommittedWork) => void,
  ) {}

  /** hands `work` out once the transaction `trx` commits */
  async register(trx: Transaction<Database>, work: CommittedWork[]): Promise<void> {
    if (!work.length) return;
    // the LISTEN must be in place before the caller can commit
    await this.#listen();
    const token = randomUUID();
    const timer = setTimeout(() => this.#waiting.delete(token), FORGET_AFTER_MS);
    timer.unref();
    this.#waiting.set(token, { work, timer });
    try {
      await sql`select pg_notify(${CHANNEL}, ${token})`.execute(trx);
    } catch (e) {
      this.#forget(token);
      throw e;
    }
  }

  async close(): Promise<void> {
    for (const token of [...this.#waiting.keys()]) this.#forget(token);
    const unlisten = await this.#listening?.catch(() => undefined);
    await unlisten?.();
  }

  #listen(): Promise<unknown> {
    this.#listening ??= this.listen(CHANNEL, (token) => this.#heard(token)).catch((e: unknown) => {
      this.#listening = undefined;
      throw e;
    });
    return this.#listening;
  }

  /** a token of another engine process on the same database is not in this one's map */
  #heard(token: string): void {
    const waiting = this.#waiting.get(token);
    if (!waiting) return;
    this.#forget(token);
    for (const work of waiting.work) this.announce(work);
  }

  #forget(token: string): void {
    clearTimeout(this.#waiting.get(token)?.timer);
    this.#waiting.delete(token);
  }
}

// Commands inside a caller's own transaction (Engine.withTransaction). They run one at a time, as they
// share the caller's connection, each under a savepoint: a command that fails is undone alone, and the
// caller's transaction goes on as it was, for the caller to commit or roll back.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../persistence/database.js';
import type { CommandTransactions } from './command-context.js';

export class JoinedCommands implements CommandTransactions {
  #last: Promise<unknown> = Promise.resolve();

  constructor(private readonly trx: Transaction<Database>) {}

  run<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    const next = this.#last.then(() => this.#underSavepoint(work));
    this.#last = next.catch(() => {});
    return next;
  }

  /** one transaction holds one command at a time here: there is no batch to guard or to share reads */
  locked(): void {}

  sharedRead<T>(_trx: Transaction<Database>, _name: string, read: () => Promise<T>): Promise<T> {
    return read();
  }

  /** the caller commits whenever it likes: the lock that positions take may not be held until then */
  addEvents(): boolean {
    return false;
  }

  async #underSavepoint<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    await sql`savepoint engine_command`.execute(this.trx);
    let result: T;
    try {
      result = await work(this.trx);
    } catch (e) {
      await sql`rollback to savepoint engine_command`.execute(this.trx);
      throw e;
    }
    await sql`release savepoint engine_command`.execute(this.trx);
    return result;
  }
}

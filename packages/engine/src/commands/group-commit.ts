// Group commit. Commands that arrive together, and those that arrive while the database is busy with
// earlier transactions, wait, and the next free lane runs them together in one transaction: their
// statements share round trips and they share one COMMIT, which is what a command costs most. Beside an
// open transaction a free lane first gathers a few of them (`gather`, `gatherMs`). Each command
// still commits or rolls back whole. A command that fails having only read (a conflict, a task that is
// gone) fails alone and the others commit. When one fails after writing, or a statement fails (which aborts the transaction), the batch is
// rolled back entirely and each of its commands runs again in a transaction of its own, where a failure is
// that command's alone. A command that comes alone runs alone, once the event loop has taken in what
// arrived with it.
import type { Kysely, Transaction } from 'kysely';
import { positionedEvents } from '../events/outbox-positions.js';
import type { Database, NewRow } from '../persistence/database.js';
import { send } from '../persistence/pipeline.js';
import { TransactionRolledBack } from '../persistence/sql-dialect.js';
import type { TransactionViews } from '../persistence/transaction-views.js';

export interface GroupCommitSettings {
  /** transactions open at once */
  lanes: number;
  /** commands in one transaction at most */
  maxBatch: number;
  /**
   * While a transaction is open, another opens only once this many commands wait, or once the first of them
   * has waited `gatherMs`; until then they wait to share the next transaction of a lane that frees (1: at once).
   */
  gather: number;
  gatherMs: number;
}

export interface CommandOptions {
  /**
   * what the command locks, when known beforehand (an instance id, a job id): commands with one key run
   * one after another in the order they came, never in one batch or in two lanes at once
   */
  key?: string;
  /** the command runs in a transaction of its own (deployments, and what locks more than one instance's rows) */
  alone?: boolean;
}

type Work<T> = (trx: Transaction<Database>) => Promise<T>;

interface Queued extends CommandOptions {
  work: Work<unknown>;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/** two commands of one batch locked the same instance tree: they must not both change it in one transaction */
class BatchConflict extends Error {}

/** what the commands of one open batch share */
interface Batch {
  /** the instance trees they have locked, and by whom */
  locks: Map<string, Transaction<Database>>;
  /** the reads they share, by name */
  reads: Map<string, Promise<unknown>>;
}

export class GroupCommit {
  readonly #queue: Queued[] = [];
  /** keys of the commands in the transactions open now */
  readonly #busy = new Set<string>();
  /** per command of an open batch, what its batch shares */
  readonly #batches = new WeakMap<Transaction<Database>, Batch>();
  /** per command of an open transaction, the events it wrote, inserted with their positions at its end */
  readonly #events = new WeakMap<Transaction<Database>, NewRow<'outbox'>[]>();
  #open = 0;
  #fillScheduled = false;
  /** opens a lane for the commands waiting, gathered or not, once they have waited gatherMs */
  #gathering: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly views: TransactionViews,
    private readonly settings: GroupCommitSettings,
    /**
     * commands' events are inserted with their positions (addEvents): on the embedded store, where one
     * transaction runs at a time. On PostgreSQL, where the lock positions take would make the lanes commit one
     * after the other, the relay positions them once committed: the user-task cycle measured 10% slower there.
     */
    private readonly positionEvents: boolean,
    /** hears the size of each transaction as it starts (instrumentation) */
    private readonly onTransaction?: (size: number) => void,
  ) {}

  run<T>(work: Work<T>, options: CommandOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ ...options, work, resolve: resolve as (result: unknown) => void, reject });
      if (this.#open < this.settings.lanes) this.#fillSoon();
    });
  }

  /**
   * Fills the free lanes once the commands that arrive together have all queued: requests read from
   * several connections at once reach the engine one after another in the same turn of the event loop,
   * and the first must not go alone. On PGlite, whose statements run without yielding to the event loop,
   * every HTTP command otherwise ran in a transaction of its own.
   */
  #fillSoon(): void {
    if (this.#fillScheduled) return;
    this.#fillScheduled = true;
    setImmediate(() => {
      this.#fillScheduled = false;
      this.#fill();
    });
  }

  /**
   * A command locked the instance tree of root `rootId`. Within a batch, a second command on that tree
   * would read what the first one wrote without a lock between them: it stops here, before writing, and
   * runs again once the batch has committed.
   */
  locked(trx: Transaction<Database>, rootId: string): void {
    const locks = this.#batches.get(trx)?.locks;
    if (!locks) return;
    const holder = locks.get(rootId);
    if (holder && holder !== trx) throw new BatchConflict(`two commands of one transaction on instance tree ${rootId}`);
    locks.set(rootId, trx);
  }

  /**
   * A read the commands of one batch share: the first to ask runs it, and the others of its batch are given
   * its answer, as if they had run right after it. Only for what no command of a batch changes (what changes
   * it runs alone), such as the versions of a key that starts choose from.
   */
  sharedRead<T>(trx: Transaction<Database>, name: string, read: () => Promise<T>): Promise<T> {
    const reads = this.#batches.get(trx)?.reads;
    if (!reads) return read();
    let answer = reads.get(name) as Promise<T> | undefined;
    if (!answer) reads.set(name, answer = read());
    return answer;
  }

  /**
   * Takes a command's events, to be inserted with their positions once every command of the transaction is
   * done, all of them in the last statement before the COMMIT (outbox-positions.ts): the lock that positions
   * take is then held only as long as the COMMIT, and taken after every other lock of the transaction. Only
   * the events of commands that succeeded are inserted. False when the transaction is not one this runs, or
   * when events are left to the relay to position.
   */
  addEvents(trx: Transaction<Database>, rows: readonly NewRow<'outbox'>[]): boolean {
    const events = this.#events.get(trx);
    events?.push(...rows);
    return events !== undefined;
  }

  /**
   * Starts transactions on the free lanes. Beside an open transaction, commands that arrive one by one (HTTP
   * requests, each read from its own connection) would each open a lane of their own, a transaction of one or
   * two commands; gathered first, they share one, and what a transaction costs beyond its commands (its BEGIN and
   * COMMIT, a read its starts share, the wait for the disk) is paid once for more of them.
   */
  #fill(gathered = false): void {
    while (this.#open < this.settings.lanes) {
      if (!gathered && this.#open > 0 && this.#queue.length < this.settings.gather) {
        this.#gatherFor();
        return;
      }
      gathered = false;
      const batch = this.#take();
      if (!batch.length) return;
      if (!this.#queue.length) this.#stopGathering();
      this.#open += 1;
      for (const c of batch) if (c.key !== undefined) this.#busy.add(c.key);
      void this.#commit(batch).finally(() => {
        this.#open -= 1;
        for (const c of batch) if (c.key !== undefined) this.#busy.delete(c.key);
        this.#fill();
      });
    }
  }

  #gatherFor(): void {
    if (this.#gathering || !this.#queue.length) return;
    this.#gathering = setTimeout(() => {
      this.#gathering = undefined;
      this.#fill(true);
    }, this.settings.gatherMs);
  }

  #stopGathering(): void {
    clearTimeout(this.#gathering);
    this.#gathering = undefined;
  }

  /** the next batch, in arrival order, skipping commands whose key is busy (and those behind them with that key) */
  #take(): Queued[] {
    const batch: Queued[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < this.#queue.length && batch.length < this.settings.maxBatch;) {
      const c = this.#queue[i]!;
      const blocked = c.key !== undefined && (this.#busy.has(c.key) || seen.has(c.key));
      if (c.key !== undefined) seen.add(c.key);
      if (blocked || (c.alone && batch.length)) {
        i += 1;
        continue;
      }
      this.#queue.splice(i, 1);
      batch.push(c);
      if (c.alone) break;
    }
    return batch;
  }

  async #commit(batch: Queued[]): Promise<void> {
    this.onTransaction?.(batch.length);
    if (batch.length === 1) {
      const [c] = batch as [Queued];
      let events: { answered: Promise<void> } | undefined;
      try {
        c.resolve(await this.db.transaction().execute(async (trx) => {
          this.#takeEvents(trx);
          const result = await c.work(trx);
          events = await this.#insertEvents([trx]);
          return result;
        }));
      } catch (e) {
        // the insert failed, and the server answered the COMMIT with ROLLBACK: its error says why
        c.reject(e instanceof TransactionRolledBack ? await events?.answered.then(() => e, (failure: unknown) => failure) ?? e : e);
      }
      return;
    }
    let worked = false;
    let settled: PromiseSettledResult<unknown>[];
    try {
      settled = await this.db.transaction().execute((trx) => this.views(trx, batch.length, async (shared) => {
        const shares: Batch = { locks: new Map(), reads: new Map() };
        for (const view of shared.views) {
          this.#batches.set(view.trx, shares);
          this.#takeEvents(view.trx);
        }
        // every command is awaited, so that none still sends statements when the transaction ends
        const outcomes = await Promise.allSettled(batch.map((c, i) => c.work(shared.views[i]!.trx)));
        // a command that failed having only read left the transaction as the others made it
        const spoiled = outcomes.some((o, i) => o.status === 'rejected' && shared.views[i]!.wrote);
        if (shared.aborted || spoiled) throw new Error('a command of the batch failed after writing');
        // a failure shows at the COMMIT, which the server then answers with ROLLBACK: each command runs again alone
        await this.#insertEvents(shared.views.filter((_, i) => outcomes[i]!.status === 'fulfilled').map((view) => view.trx));
        worked = true;
        return outcomes;
      }));
    } catch (e) {
      // the COMMIT itself failed: whether it took effect is unknown, so its commands report it as one alone
      // would; unless the server answered it with ROLLBACK, as when a write sent with it failed
      if (worked && !(e instanceof TransactionRolledBack)) for (const c of batch) c.reject(e);
      // rolled back whole: each command again on its own, ahead of those that came later
      else this.#queue.unshift(...batch.map((c) => ({ ...c, alone: true })));
      return;
    }
    const again: Queued[] = [];
    settled.forEach((outcome, i) => {
      const c = batch[i]!;
      if (outcome.status === 'fulfilled') c.resolve(outcome.value);
      // it met another command's instance tree before writing: it runs again, now that the other has committed
      else if (outcome.reason instanceof BatchConflict) again.push(c);
      else c.reject(outcome.reason);
    });
    this.#queue.unshift(...again);
  }

  /** a command's events are kept for the end of its transaction, where they are to be positioned at all */
  #takeEvents(trx: Transaction<Database>): void {
    if (this.positionEvents) this.#events.set(trx, []);
  }

  /** sends the insert of the commands' events without waiting: it travels with the COMMIT; `answered` settles with it */
  async #insertEvents(commands: readonly Transaction<Database>[]): Promise<{ answered: Promise<void> } | undefined> {
    const rows = commands.flatMap((trx) => this.#events.get(trx) ?? []);
    return rows.length ? send(commands[0]!, positionedEvents(rows)) : undefined;
  }
}

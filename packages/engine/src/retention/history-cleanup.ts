// Retention: root instances whose removal time has passed are deleted with the instances they called
// and everything of theirs, a batch of roots per transaction, so that no transaction grows with the
// backlog. Several engines on one database may clean at once: each batch skips the roots another has
// locked, as a command holds a root's lock too.
import type { CleanupResult } from '../api/engine.js';
import type { CommandContext } from '../commands/command-context.js';
import { inTransaction } from '../commands/run-command.js';
import { settlesBefore } from '../jobs/closing.js';
import { eraseInstanceTrees, instancesWithIds } from './erase-instances.js';

/** at most `maxBatches` transactions of `batchSize` roots each, until none is due */
export async function removeExpiredHistory(ctx: CommandContext, batchSize: number, maxBatches = Infinity): Promise<CleanupResult> {
  const result: CleanupResult = { removed: 0, batches: 0 };
  while (result.batches < maxBatches) {
    const batch = await inTransaction(ctx, async (trx) => {
      const due = await trx.selectFrom('process_instances').select('id')
        .where('removal_time', '<=', ctx.now()).orderBy('removal_time').limit(batchSize)
        .forUpdate().skipLocked().execute();
      return { roots: due.length, removed: due.length ? await eraseInstanceTrees(trx, instancesWithIds(due.map((r) => r.id))) : 0 };
    }, { alone: true });
    if (batch.roots === 0) break;
    result.removed += batch.removed;
    result.batches += 1;
    if (batch.roots < batchSize) break;
  }
  return result;
}

/** runs the cleanup every `intervalMs` while the engine is open */
export class HistoryCleanup {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  constructor(
    private readonly ctx: CommandContext,
    private readonly settings: { intervalMs: number; batchSize: number; logError(error: unknown, message: string): void },
  ) {}

  start(): void {
    if (this.settings.intervalMs <= 0) return;
    this.#timer = setInterval(() => {
      this.#running ??= removeExpiredHistory(this.ctx, this.settings.batchSize)
        .catch((e) => this.settings.logError(e, 'Removing expired instances failed; the next cleanup tries again'))
        .finally(() => {
          this.#running = undefined;
        });
    }, this.settings.intervalMs);
    this.#timer.unref();
  }

  /** the database must not close under a batch: it is waited for until the engine gives up */
  async close(givenUp: AbortSignal): Promise<void> {
    clearInterval(this.#timer);
    if (this.#running) await settlesBefore(this.#running, givenUp);
  }
}

// Retention: root instances whose removal time has passed are deleted with the instances they called
// and everything of theirs, a batch of roots per transaction, so that no transaction grows with the
// backlog. Several engines on one database may clean at once: each batch skips the roots another has
// locked, as a command holds a root's lock too.
import type { CleanupResult, RetentionOptions } from '../api/engine.js';
import type { CommandContext } from '../commands/command-context.js';
import { inTransaction } from '../commands/run-command.js';
import { invalid } from '../errors.js';
import { withoutUndefined } from '../util/without-undefined.js';
import { eraseInstanceTrees, instancesWithIds } from './erase-instances.js';

/** a cleanup finding nothing due costs one indexed query; a minute keeps expired instances at most that much longer */
const DEFAULTS = { cleanupIntervalMs: 60_000, cleanupBatchSize: 100 };

/** the engine's retention options with their defaults; throws INVALID for a value that cannot be one */
export function retentionSettings(options: RetentionOptions = {}): RetentionOptions & typeof DEFAULTS {
  const settings = { ...DEFAULTS, ...withoutUndefined(options) };
  const ttl = settings.historyTimeToLiveDays;
  if (ttl !== undefined && !(Number.isFinite(ttl) && ttl >= 0)) throw invalid('retention.historyTimeToLiveDays must be a number of days, 0 or more');
  if (!(Number.isFinite(settings.cleanupIntervalMs) && settings.cleanupIntervalMs >= 0)) throw invalid('retention.cleanupIntervalMs must be 0 or more');
  if (!(Number.isInteger(settings.cleanupBatchSize) && settings.cleanupBatchSize > 0)) throw invalid('retention.cleanupBatchSize must be a whole number above 0');
  return settings;
}

/** at most `maxBatches` transactions of `batchSize` roots each, until none is due */
export async function removeExpiredHistory(ctx: CommandContext, batchSize: number, maxBatches = Infinity): Promise<CleanupResult> {
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw invalid('batchSize must be a whole number above 0');
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

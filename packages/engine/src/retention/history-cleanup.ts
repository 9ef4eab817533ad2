// Retention: root instances whose removal time has passed are deleted with the instances they called
// and everything of theirs, a batch of roots per transaction, so that no transaction grows with the
// backlog. Several engines on one database may clean at once: each batch skips the roots another has
// locked, as a command holds a root's lock too.
import type { Transaction } from 'kysely';
import type { CleanupResult, RetentionOptions } from '../api/engine.js';
import type { CommandContext } from '../commands/command-context.js';
import { inTransaction } from '../commands/run-command.js';
import { invalid } from '../errors.js';
import type { Database } from '../persistence/database.js';
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

/**
 * At most `maxBatches` transactions of `batchSize` roots each, until none is due; then, within what is left
 * of `maxBatches`, the decision evaluations made through the API that are due, `batchSize` at a time (those
 * of business rule tasks go with their instances).
 */
export async function removeExpiredHistory(ctx: CommandContext, batchSize: number, maxBatches = Infinity): Promise<CleanupResult> {
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw invalid('batchSize must be a whole number above 0');
  const result: CleanupResult = { removed: 0, decision_instances_removed: 0, batches: 0 };
  const inBatches = async (removeBatch: (trx: Transaction<Database>) => Promise<{ due: number; removed: number }>, add: (removed: number) => void) => {
    while (result.batches < maxBatches) {
      const batch = await inTransaction(ctx, removeBatch, { alone: true });
      if (batch.due === 0) break;
      add(batch.removed);
      result.batches += 1;
      if (batch.due < batchSize) break;
    }
  };
  await inBatches(async (trx) => {
    const due = await trx.selectFrom('process_instances').select('id')
      .where('removal_time', '<=', ctx.now()).orderBy('removal_time').limit(batchSize)
      .forUpdate().skipLocked().execute();
    return { due: due.length, removed: due.length ? await eraseInstanceTrees(trx, instancesWithIds(due.map((r) => r.id))) : 0 };
  }, (removed) => { result.removed += removed; });
  await inBatches(async (trx) => {
    const due = await trx.selectFrom('decision_instances').select('id')
      .where('removal_time', '<=', ctx.now()).orderBy('removal_time').limit(batchSize)
      .forUpdate().skipLocked().execute();
    if (due.length) await trx.deleteFrom('decision_instances').where('id', 'in', due.map((r) => r.id)).execute();
    return { due: due.length, removed: due.length };
  }, (removed) => { result.decision_instances_removed += removed; });
  return result;
}

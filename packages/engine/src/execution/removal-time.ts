const DAY_MS = 86_400_000;

/** when an instance that ended at `end` is due for removal; null: kept for ever */
export function removalTime(end: Date, historyTimeToLiveDays: number | undefined): Date | null {
  return historyTimeToLiveDays === undefined ? null : new Date(end.getTime() + historyTimeToLiveDays * DAY_MS);
}

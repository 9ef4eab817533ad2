// The order of the variables a task shows its worker or user. A task reaches an in-process handler by
// two paths that build its variables apart (given at commit from the command's state, or fetched from
// the rows), and which one it takes depends on timing: one order for both keeps a worker from seeing a
// difference it cannot explain. By name, compared as JavaScript compares strings (UTF-16 code units), so
// the order is also the same whatever collation the database sorts with.

/**
 * An object of the entries in the order of their names. Names that are array indices ('7') still come
 * first, in numeric order: JavaScript orders an object's keys so.
 */
export function byName<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

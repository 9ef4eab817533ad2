/**
 * Drops entries whose value is undefined, so that optional fields are absent rather than undefined
 * and spreading one partial over another never erases a value.
 */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

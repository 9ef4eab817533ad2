/**
 * Drops entries whose value is undefined, so that optional fields are absent rather than undefined
 * and spreading one partial over another never erases a value.
 */
export function withoutUndefined<T extends object>(value: T): T {
  const result: Partial<T> = {};
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] !== undefined) result[key] = value[key];
  }
  return result as T;
}

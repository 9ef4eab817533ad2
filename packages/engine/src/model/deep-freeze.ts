const refuse = (): never => {
  throw new TypeError('The compiled model is immutable');
};

/**
 * Freezes a compiled model all the way down: objects, arrays, and Maps and Sets, whose mutators are
 * replaced by ones that throw (Object.freeze alone leaves their entries writable). Iterative, so deep
 * nesting cannot overflow the stack. A value that is already frozen is taken as deeply frozen.
 */
export function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== 'object' || current === null || Object.isFrozen(current)) continue;
    if (current instanceof Map) {
      for (const [key, entry] of current) pending.push(key, entry);
      lock(current, ['set', 'delete', 'clear']);
    } else if (current instanceof Set) {
      for (const entry of current) pending.push(entry);
      lock(current, ['add', 'delete', 'clear']);
    } else {
      for (const entry of Object.values(current)) pending.push(entry);
    }
    Object.freeze(current);
  }
  return value;
}

function lock(collection: object, mutators: readonly string[]): void {
  for (const name of mutators) Object.defineProperty(collection, name, { value: refuse });
}

export function frozenSet<T>(values: Iterable<T>): ReadonlySet<T> {
  return deepFreeze(new Set(values));
}

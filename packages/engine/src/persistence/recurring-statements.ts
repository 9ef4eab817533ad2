import type { CompiledQuery } from 'kysely';

/** statement texts prepared at most: each connection keeps every one it has prepared */
const MAX_PREPARED = 500;
/** texts seen once that are remembered while waiting to recur */
const MAX_CANDIDATES = 10_000;

/**
 * Which statements are prepared, that is planned once per connection and afterwards sent as their
 * parameters alone. Unprepared, the server parses and plans a statement at every run: for the eight-table
 * read of a command, that took far longer than running it. A text is prepared once it recurs. Texts that
 * vary with the data (lists of ids, multi-row inserts) rarely do, and a cap bounds what the connections
 * keep. A text without parameters is never prepared: it is one exchange anyway, and may be a migration's.
 */
export class RecurringStatements {
  readonly #prepared = new Set<string>();
  readonly #candidates = new Set<string>();

  prepare(q: CompiledQuery): boolean {
    if (!q.parameters.length) return false;
    if (this.#prepared.has(q.sql)) return true;
    if (this.#prepared.size >= MAX_PREPARED) return false;
    if (this.#candidates.delete(q.sql)) {
      this.#prepared.add(q.sql);
      return true;
    }
    if (this.#candidates.size >= MAX_CANDIDATES) this.#candidates.clear();
    this.#candidates.add(q.sql);
    return false;
  }
}

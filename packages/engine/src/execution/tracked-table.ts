// Rows of one table as a command found them and as it leaves them. The command works on plain
// objects; at the end the difference becomes inserts, updates and deletes.

export interface RowDiff<T> {
  inserts: T[];
  updates: T[];
  deletes: string[];
}

export class TrackedTable<T extends { id: string }> {
  readonly #original = new Map<string, string>();
  readonly #rows = new Map<string, T>();

  /** rows read from the database */
  load(rows: Iterable<T>): void {
    for (const row of rows) {
      this.#original.set(row.id, JSON.stringify(row));
      this.#rows.set(row.id, row);
    }
  }

  get(id: string): T | undefined {
    return this.#rows.get(id);
  }

  has(id: string): boolean {
    return this.#rows.has(id);
  }

  add(row: T): T {
    this.#rows.set(row.id, row);
    return row;
  }

  delete(id: string): void {
    this.#rows.delete(id);
  }

  values(): IterableIterator<T> {
    return this.#rows.values();
  }

  filter(predicate: (row: T) => boolean): T[] {
    const out: T[] = [];
    for (const row of this.#rows.values()) if (predicate(row)) out.push(row);
    return out;
  }

  find(predicate: (row: T) => boolean): T | undefined {
    for (const row of this.#rows.values()) if (predicate(row)) return row;
    return undefined;
  }

  /** rows added since the load */
  added(): T[] {
    return this.filter((row) => !this.#original.has(row.id));
  }

  diff(): RowDiff<T> {
    const diff: RowDiff<T> = { inserts: [], updates: [], deletes: [] };
    for (const [id, row] of this.#rows) {
      const before = this.#original.get(id);
      if (before === undefined) diff.inserts.push(row);
      else if (before !== JSON.stringify(row)) diff.updates.push(row);
    }
    for (const id of this.#original.keys()) if (!this.#rows.has(id)) diff.deletes.push(id);
    return diff;
  }
}

// Re-encryption under the first key, in the background, in batches: values under an older key stay
// readable meanwhile, since every configured key decrypts. Each value is replaced only if it is still the
// one read (compare and set), so a command that changed it meanwhile keeps its change, and engines
// rotating at once do each value once. Values under a key that is no longer configured are left alone:
// reading them names their key.
import type { Kysely } from 'kysely';
import type { Database } from '../persistence/database.js';
import { pipeline } from '../persistence/pipeline.js';
import { SEALED_PREFIX } from './sealed-text.js';
import type { VariableProtection } from './variable-protection.js';

export interface KeyRotationSettings {
  intervalMs: number;
  batchSize: number;
  logError(error: unknown, message: string): void;
}

interface SealedColumn {
  table: 'process_variables' | 'audit_log' | 'jobs' | 'idempotency_keys';
  key: string;
  column: string;
}

/** every column that may hold an encrypted value */
const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'process_variables', key: 'id', column: 'value_text' },
  { table: 'audit_log', key: 'id', column: 'org_value' },
  { table: 'audit_log', key: 'id', column: 'new_value' },
  { table: 'jobs', key: 'id', column: 'payload' },
  { table: 'idempotency_keys', key: 'key', column: 'response' },
];

type Sealed = { key: string; sealed: string; name?: string };

export class KeyRotation {
  readonly #db: Kysely<any>;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #closed = false;

  constructor(db: Kysely<Database>, private readonly protection: VariableProtection, private readonly settings: KeyRotationSettings) {
    // the tables and columns are named at run time, from the list above
    this.#db = db as unknown as Kysely<any>;
  }

  /**
   * a pass every interval, the first one interval after the start (the start itself has enough to do),
   * as long as older keys are configured
   */
  start(): void {
    if (this.protection.cipher.olderKeyIds.length === 0) return;
    this.#timer = setInterval(() => void this.rotate().catch((e) => {
      if (!this.#closed) this.settings.logError(e, 'Encrypting protected variable values again under the first key failed; the next pass goes on');
    }), this.settings.intervalMs);
    this.#timer.unref();
  }

  /** one pass over every column; answers how many values it re-encrypted */
  rotate(): Promise<number> {
    if (this.#closed) return Promise.resolve(0);
    this.#running ??= this.#pass().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    // a pass that failed has said so where it failed
    await this.#running?.then(() => undefined, () => undefined);
  }

  async #pass(): Promise<number> {
    let total = 0;
    for (const column of SEALED_COLUMNS) {
      // a batch none of whose values could be replaced would be read again and again
      for (let done = -1; done !== 0 && !this.#closed;) {
        const batch = await this.#read(column);
        done = batch.length ? await this.#reseal(column, batch) : 0;
        total += done;
        if (batch.length < this.settings.batchSize) break;
      }
    }
    return total;
  }

  #read({ table, key, column }: SealedColumn): Promise<Sealed[]> {
    const ids = this.protection.cipher.olderKeyIds;
    const start = SEALED_PREFIX.length + 1;
    return this.#db.selectFrom(table)
      .select([`${key} as key`, `${column} as sealed`, ...(table === 'process_variables' ? ['name'] : [])])
      .where(({ fn, ref, val }) => fn('split_part', [fn('substr', [ref(column), val(start)]), val(':'), val(1)]), 'in', ids)
      .where(column, 'like', `${SEALED_PREFIX}%`)
      .limit(this.settings.batchSize)
      .execute() as Promise<Sealed[]>;
  }

  /** answers how many of the values were replaced */
  async #reseal({ table, key, column }: SealedColumn, batch: Sealed[]): Promise<number> {
    const { cipher } = this.protection;
    const updates = [];
    for (const row of batch) {
      let text: string;
      try {
        text = cipher.open(row.sealed);
      } catch (e) {
        this.settings.logError(e, `A value in ${table}.${column} could not be decrypted to be encrypted again`);
        continue;
      }
      const set: Record<string, string> = { [column]: cipher.seal(text) };
      if (row.name !== undefined) set.value_hash = cipher.lookupHash(row.name, text);
      updates.push(this.#db.updateTable(table).set(set).where(key, '=', row.key).where(column, '=', row.sealed).returning(key));
    }
    if (!updates.length) return 0;
    const replaced = await pipeline(this.#db, updates);
    return replaced.reduce((n, rows) => n + rows.length, 0);
  }
}

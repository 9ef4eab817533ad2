// Encryption under the first key, in the background, in batches, of what is stored otherwise: values
// under an older key, and values of protected variables written in clear before their names were
// protected. Values under an older key stay readable meanwhile, since every configured key decrypts. Each
// value is replaced only if it is still the one read (compare and set), so a command that changed it
// meanwhile keeps its change, and engines doing this at once do each value once. Values under a key that
// is no longer configured are left alone: reading them names their key.
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
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
  /** the column naming the variable whose value this is, where rows tell: then a clear value of a protected name is found too */
  name?: { column: string; where?: Readonly<Record<string, string>> };
  /** the row is found by its lookup hash, and its number columns must not show the value */
  variable?: true;
}

/** every column that may hold an encrypted value */
const SEALED_COLUMNS: readonly SealedColumn[] = [
  { table: 'process_variables', key: 'id', column: 'value_text', name: { column: 'name' }, variable: true },
  { table: 'audit_log', key: 'id', column: 'org_value', name: { column: 'property', where: { operation: 'SetVariable' } } },
  { table: 'audit_log', key: 'id', column: 'new_value', name: { column: 'property', where: { operation: 'SetVariable' } } },
  { table: 'jobs', key: 'id', column: 'payload' },
  { table: 'idempotency_keys', key: 'key', column: 'response' },
];

type Stored = { key: string; text: string; name?: string };
type Finder = (eb: ExpressionBuilder<any, any>) => Expression<SqlBool>;

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
   * A pass every interval, the first one interval after the start (the start itself has enough to do),
   * until a pass finds nothing left: values are written under the first key from the start on.
   */
  start(): void {
    this.#timer = setInterval(() => void this.rotate().then((done) => {
      if (done === 0) clearInterval(this.#timer);
    }, (e) => {
      if (!this.#closed) this.settings.logError(e, 'Encrypting protected variable values under the first key failed; the next pass goes on');
    }), this.settings.intervalMs);
    this.#timer.unref();
  }

  /** one pass over every column; answers how many values it encrypted */
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
      for (const finder of this.#finders(column)) total += await this.#batches(column, finder);
    }
    return total;
  }

  /** how the rows to encrypt are found: under an older key; in clear under a protected name */
  #finders({ column, name }: SealedColumn): Finder[] {
    const finders: Finder[] = [];
    const older = this.protection.cipher.olderKeyIds;
    if (older.length) {
      finders.push((eb) => eb.and([
        eb(column, 'like', `${SEALED_PREFIX}%`),
        eb(eb.fn('split_part', [eb.fn('substr', [eb.ref(column), eb.val(SEALED_PREFIX.length + 1)]), eb.val(':'), eb.val(1)]), 'in', older),
      ]));
    }
    const { exact, like } = namePatterns(this.protection.patterns);
    if (name && (exact.length || like.length)) {
      finders.push((eb) => eb.and([
        eb(column, 'not like', `${SEALED_PREFIX}%`),
        ...Object.entries(name.where ?? {}).map(([c, v]) => eb(c, '=', v)),
        eb.or([...(exact.length ? [eb(name.column, 'in', exact)] : []), ...like.map((p) => eb(name.column, 'like', p))]),
      ]));
    }
    return finders;
  }

  async #batches(column: SealedColumn, finder: Finder): Promise<number> {
    let total = 0;
    // a batch none of whose values could be replaced would be read again and again
    for (let done = -1; done !== 0 && !this.#closed;) {
      const batch = await this.#db.selectFrom(column.table)
        .select([`${column.key} as key`, `${column.column} as text`, ...(column.variable ? ['name'] : [])])
        .where(finder).limit(this.settings.batchSize).execute() as Stored[];
      done = batch.length ? await this.#encrypt(column, batch) : 0;
      total += done;
      if (batch.length < this.settings.batchSize) break;
    }
    return total;
  }

  /** answers how many of the values were replaced */
  async #encrypt({ table, key, column, variable }: SealedColumn, batch: Stored[]): Promise<number> {
    const { cipher } = this.protection;
    const updates = [];
    for (const row of batch) {
      let text: string;
      try {
        text = cipher.open(row.text);
      } catch (e) {
        this.settings.logError(e, `A value in ${table}.${column} could not be decrypted to be encrypted again`);
        continue;
      }
      const set: Record<string, string | null> = { [column]: cipher.seal(text) };
      if (variable) Object.assign(set, { value_hash: cipher.lookupHash(row.name!, text), value_long: null, value_double: null });
      updates.push(this.#db.updateTable(table).set(set).where(key, '=', row.key).where(column, '=', row.text).returning(key));
    }
    if (!updates.length) return 0;
    const replaced = await pipeline(this.#db, updates);
    return replaced.reduce((n, rows) => n + rows.length, 0);
  }
}

/** names as SQL: exact ones, and LIKE patterns for those with `*` (the backslash escapes LIKE's own wildcards) */
function namePatterns(patterns: readonly string[]): { exact: string[]; like: string[] } {
  const like = patterns.filter((p) => p.includes('*')).map((p) => p.replace(/[\\%_]/g, '\\$&').replaceAll('*', '%'));
  return { exact: patterns.filter((p) => !p.includes('*')), like };
}

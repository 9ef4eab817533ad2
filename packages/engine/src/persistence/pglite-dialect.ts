// A Kysely dialect over PGlite. The published dialect packages lack savepoints and pin an old PGlite,
// so this small one is kept here. PGlite is one backend, so "connections" are handed out one at a time.
//
// Statements are sent as PostgreSQL's extended protocol, each run as one exchange with the backend.
// PGlite's own `query()` makes six (parse, describe, bind, describe, execute, sync), each a call into the
// WebAssembly backend that costs more than a simple statement's work there, and parses and plans the text
// at every run. Here a text that recurs is parsed once under a name, and each run is its bind, describe,
// execute and sync in one message (run-message.ts): a primary-key read went from about 450 to 120 µs.
import type { PGlite } from '@electric-sql/pglite';
import type { CompiledQuery, DatabaseConnection, QueryResult } from 'kysely';
import { importPeer } from '../util/peer-dependency.js';
import { RecurringStatements } from './recurring-statements.js';
import { runMessage } from './run-message.js';
import { queryResult, SqlDialect, SqlDriver } from './sql-dialect.js';

type PGliteModule = typeof import('@electric-sql/pglite');

type SeeStatement = (q: CompiledQuery) => void;

/** a parsed statement: its name ('' for the unnamed one) and its parameters' types, which decide how values are written */
interface Parsed {
  name: string;
  types: number[];
}

class PGliteConnection implements DatabaseConnection {
  readonly #parsed = new Map<string, Parsed>();
  readonly #recurring = new RecurringStatements();

  constructor(
    private readonly pg: PGlite,
    private readonly wire: PGliteModule,
    private readonly saw: SeeStatement,
  ) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    this.saw(q);
    const res = await this.pg._runExclusiveQuery(() => this.#run(q));
    return queryResult(res.command, res.rows as R[], res.affectedRows);
  }

  async *streamQuery<R>(q: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(q);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }

  async #run(q: CompiledQuery) {
    // a text without parameters needs no types: it is parsed in the same message as its run
    const parsed = q.parameters.length ? await this.#parse(q) : undefined;
    const messages = await this.#exchange(parsed
      ? runMessage(parsed.name, q.parameters.map((value, i) => this.#text(value, parsed.types[i]!)))
      : Buffer.concat([this.wire.protocol.serialize.parse({ text: q.sql }), runMessage('', [])]));
    // as PGlite's own query(): a store that keeps its files elsewhere writes them out after each statement outside a transaction
    if (!this.pg.isInTransaction()) await this.pg.syncToFs();
    return this.wire.parse.parseResults(messages, this.pg.parsers)[0]!;
  }

  /** parses a text with parameters, under a name of its own once it recurs, and learns its parameters' types */
  async #parse(q: CompiledQuery): Promise<Parsed> {
    const known = this.#parsed.get(q.sql);
    if (known) return known;
    const { serialize } = this.wire.protocol;
    const name = this.#recurring.prepare(q) ? `s${this.#parsed.size + 1}` : '';
    const described = await this.#exchange(Buffer.concat([serialize.parse({ name, text: q.sql }), serialize.describe({ type: 'S', name }), serialize.sync()]));
    const parsed = { name, types: this.wire.parse.parseDescribeStatementResults(described) };
    if (name) this.#parsed.set(q.sql, parsed);
    return parsed;
  }

  /** a value as the text PostgreSQL reads for its type, written as PGlite's own query() writes it */
  #text(value: unknown, type: number): string | null {
    if (value === null || value === undefined) return null;
    const write = this.pg.serializers[type];
    return write ? write(value) : String(value);
  }

  /** sends messages to the backend as one exchange; a failed statement throws its error, the sync having ended it */
  #exchange(messages: Uint8Array) {
    return this.pg.execProtocolStream(messages, { syncToFs: false });
  }
}

class PGliteDriver extends SqlDriver {
  #conn: PGliteConnection | undefined;
  #busy = false;
  #waiters: (() => void)[] = [];

  constructor(private readonly pg: PGlite, private readonly saw: SeeStatement) {
    super();
  }

  async init() {
    await this.pg.waitReady;
    this.#conn = new PGliteConnection(this.pg, await importPeer<PGliteModule>('@electric-sql/pglite'), this.saw);
  }

  async acquireConnection() {
    if (this.#busy) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    this.#busy = true;
    return this.#conn!;
  }

  async releaseConnection() {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#busy = false;
  }

  async destroy() {
    await this.pg.close();
  }
}

export class PGliteDialect extends SqlDialect {
  /** `saw` hears of every statement before it runs */
  constructor(pg: PGlite, saw: SeeStatement = () => {}) {
    super(() => new PGliteDriver(pg, saw));
  }
}

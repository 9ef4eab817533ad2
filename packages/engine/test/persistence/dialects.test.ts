// The engine's own Kysely dialects keep what a command relies on: a transaction is all or nothing, its
// rows are seen by nobody else before it commits (PostgreSQL sends its BEGIN along with the first
// statement, which must change none of this), and a COMMIT the server turned into a ROLLBACK is an error.
// On PostgreSQL, a statement is prepared once its text recurs, and closing the database fails every
// statement still waiting once its grace is over.
import { sql, type Kysely } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/persistence/open-database.js';
import { createTestDatabase, testBackends } from '../../src/testing/index.js';
import { scratchDatabase, scratchLabels, type Scratch } from '../support/scratch-database.js';

describe.each(testBackends())('the %s dialect', (backend) => {
  const opened = scratchDatabase(backend, 'engine/dialects');
  let db: Kysely<Scratch>;
  beforeAll(() => {
    db = opened().db as unknown as Kysely<Scratch>;
  });

  const labels = () => scratchLabels(db);

  it('commits every statement of a transaction, and its own statements see each other', async () => {
    const seen = await db.transaction().execute(async (trx) => {
      await trx.insertInto('scratch').values({ id: 1, label: 'one' }).execute();
      await trx.insertInto('scratch').values({ id: 2, label: 'two' }).execute();
      return (await trx.selectFrom('scratch').select('label').where('id', 'in', [1, 2]).execute()).length;
    });
    expect(seen).toBe(2);
    expect(await labels()).toEqual(['one', 'two']);
  });

  it('rolls the whole transaction back when its work throws', async () => {
    await expect(db.transaction().execute(async (trx) => {
      await trx.insertInto('scratch').values({ id: 3, label: 'three' }).execute();
      throw new Error('the work failed');
    })).rejects.toThrow('the work failed');
    expect(await labels()).toEqual(['one', 'two']);
  });

  it('refuses to commit a transaction in which a statement failed, even when the work caught the error', async () => {
    await expect(db.transaction().execute(async (trx) => {
      await trx.insertInto('scratch').values({ id: 4, label: 'four' }).execute();
      await trx.insertInto('scratch').values({ id: 1, label: 'duplicate' }).execute().catch(() => undefined);
    })).rejects.toThrow(/rolled back/);
    expect(await labels()).toEqual(['one', 'two']);
  });

  it('a transaction whose first statement fails is refused, and the connection serves the next one', async () => {
    await expect(db.transaction().execute((trx) => sql`select * from no_such_table`.execute(trx))).rejects.toThrow(/no_such_table/);
    await db.transaction().execute((trx) => trx.insertInto('scratch').values({ id: 5, label: 'five' }).execute());
    expect(await labels()).toEqual(['one', 'two', 'five']);
  });

  // PGlite has one connection: a second reader would wait for the transaction
  if (backend !== 'postgres') return;
  it('keeps an open transaction\'s rows from other connections until it commits', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let inserted!: () => void;
    const written = new Promise<void>((resolve) => { inserted = resolve; });
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto('scratch').values({ id: 6, label: 'six' }).execute();
      inserted();
      await held;
    });
    await written;
    expect(await labels()).toEqual(['one', 'two', 'five']);
    release();
    await transaction;
    expect(await labels()).toEqual(['one', 'two', 'five', 'six']);
  });

  it('sends every kind of parameter as it was given: text of several bytes a character, empty text, NULL, and many at once', async () => {
    const texts = ['', 'plain', 'Grüße, 東京 🚀', 'a\u0000'.slice(0, 1), 'x'.repeat(70_000)];
    const many = Array.from({ length: 500 }, (_, i) => (i % 3 === 0 ? null : `v${i}·é`));
    for (let run = 0; run < 2; run++) {
      const echoed = await Promise.all(texts.map(async (text) => (await sql<{ t: string; n: number }>`select ${text}::text as t, octet_length(${text}::text) as n`.execute(db)).rows[0]!));
      expect(echoed).toEqual(texts.map((t) => ({ t, n: Buffer.byteLength(t) })));
      const row = (await sql<{ values: (string | null)[] }>`select array_to_json(array[${sql.join(many.map((v) => sql`${v}::text`))}]) as values`.execute(db)).rows[0]!;
      expect(row.values).toEqual(many);
      expect((await sql<{ n: null }>`select ${null}::int as n`.execute(db)).rows[0]!.n).toBeNull();
    }
  });

  it('prepares a statement with parameters on its second run, and one without parameters never', async () => {
    const prepared = await db.transaction().execute(async (trx) => {
      const count = async () => Number((await sql<{ n: number }>`select count(*) as n from pg_prepared_statements where statement like ${'%recurring-marker%'}`.execute(trx)).rows[0]!.n);
      const counts: number[] = [];
      for (let run = 0; run < 3; run++) {
        await sql`select label from scratch where id = ${run} and label <> 'recurring-marker'`.execute(trx);
        await sql`select label from scratch where label <> 'recurring-marker-without-parameters'`.execute(trx);
        counts.push(await count());
      }
      return counts;
    });
    expect(prepared).toEqual([0, 1, 1]);
  });

  it('fails the statements of a transaction that outlast the close, those queued behind the one running too', async () => {
    const database = await createTestDatabase('postgres', 'engine/dialect-close');
    try {
      const closing = await openDatabase(database.options);
      let answers: Promise<PromiseSettledResult<unknown>[]> | undefined;
      let sent!: () => void;
      const sending = new Promise<void>((resolve) => {
        sent = resolve;
      });
      // statements sent together wait on the transaction's connection behind the first, which outlasts the close's grace
      const transaction = closing.db.transaction().execute(async (trx) => {
        answers = Promise.allSettled([sql`select pg_sleep(${60})`.execute(trx), sql`select ${1}::int`.execute(trx), sql`select ${2}::int`.execute(trx)]);
        sent();
        await answers;
      });
      const ended = transaction.then(() => 'committed', () => 'failed');
      await sending;
      await closing.close();
      expect((await answers!).map((a) => a.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(await ended).toBe('failed');
    } finally {
      await database.drop();
    }
  });
});

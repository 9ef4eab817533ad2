// Group commit on a real database: commands that arrive together, or queue behind a running transaction,
// share a transaction, and each is still all or nothing. One lane, so that whatever arrives while a
// transaction runs queues behind it.
import { sql, type Kysely, type Transaction } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/commands/command-context.js';
import { GroupCommit } from '../../src/commands/group-commit.js';
import { outboxRow } from '../../src/execution/history.js';
import { answeredAtCommit, inTransaction } from '../../src/commands/run-command.js';
import type { Database } from '../../src/persistence/database.js';
import { send } from '../../src/persistence/pipeline.js';
import { TransactionRolledBack } from '../../src/persistence/sql-dialect.js';
import { testBackends } from '../../src/testing/index.js';
import { scratchDatabase, scratchLabels, type Scratch } from '../support/scratch-database.js';

describe.each(testBackends())('group commit on %s', (backend) => {
  const opened = scratchDatabase(backend, 'engine/group-commit');
  let commands: GroupCommit;
  beforeEach(async () => {
    await sql`delete from scratch`.execute(opened().db);
    commands = new GroupCommit(opened().db, opened().views, { lanes: 1, maxBatch: 8, gather: 1, gatherMs: 0 }, true);
  });

  const scratch = (trx: Transaction<Database>) => trx as unknown as Kysely<Scratch>;
  /** inserts a row and answers the id of the transaction it ran in */
  const insert = (id: number, label = `row ${id}`) => async (trx: Transaction<Database>) => {
    await scratch(trx).insertInto('scratch').values({ id, label }).execute();
    return transactionId(trx);
  };
  const transactionId = async (trx: Transaction<Database>) => String((await sql<{ txid: string }>`select txid_current() as txid`.execute(trx)).rows[0]!.txid);
  const labels = () => scratchLabels(opened().db as unknown as Kysely<Scratch>);

  /** runs a command that holds its transaction open until `release` is called, once that transaction has begun */
  const running = async (id: number) => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let begun!: () => void;
    const started = new Promise<void>((resolve) => (begun = resolve));
    const txid = commands.run(async (trx) => {
      begun();
      await held;
      return insert(id)(trx);
    });
    await started;
    return { txid, release };
  };

  it('runs the commands that arrive together in one transaction, and those that queue behind it together in the next', async () => {
    const together = await Promise.all([1, 2, 3].map((id) => commands.run(insert(id))));
    expect(new Set(together).size).toBe(1);
    const first = await running(4);
    const queued = [5, 6, 7].map((id) => commands.run(insert(id)));
    first.release();
    const [firstTxid, ...queuedTxids] = await Promise.all([first.txid, ...queued]);
    expect(new Set(queuedTxids).size).toBe(1);
    expect(queuedTxids[0]).not.toBe(firstTxid);
    expect(firstTxid).not.toBe(together[0]);
    expect(await labels()).toEqual(['row 1', 'row 2', 'row 3', 'row 4', 'row 5', 'row 6', 'row 7']);
  });

  it('starts no more than maxBatch commands in one transaction', async () => {
    const txids = await Promise.all(Array.from({ length: 8 + 3 }, (_, i) => commands.run(insert(i + 1))));
    expect(new Set(txids.slice(0, 8)).size).toBe(1);
    expect(new Set(txids.slice(8)).size).toBe(1);
    expect(txids[8]).not.toBe(txids[0]);
  });

  it('fails a command that only read alone: the others of its batch commit in that transaction', async () => {
    let runs = 0;
    const readsThenFails = async (trx: Transaction<Database>) => {
      runs += 1;
      await scratch(trx).selectFrom('scratch').select('id').forUpdate().execute();
      throw new Error('the command itself refused');
    };
    const results = await Promise.allSettled([commands.run(insert(1)), commands.run(insert(2)), commands.run(readsThenFails), commands.run(insert(3))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason.message).toBe('the command itself refused');
    const txid = (i: number) => (results[i] as PromiseFulfilledResult<string>).value;
    expect(txid(1)).toBe(txid(3));
    expect(runs).toBe(1);
    expect(await labels()).toEqual(['row 1', 'row 2', 'row 3']);
  });

  it('rolls a batch back when a statement fails, and runs each command again in a transaction of its own', async () => {
    const results = await Promise.allSettled([
      commands.run(insert(1)),
      commands.run(insert(2)),
      // a statement that fails aborts the whole transaction on the server
      commands.run(insert(2, 'duplicate key')),
      commands.run(insert(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[2] as PromiseRejectedResult).reason)).toMatch(/duplicate key|unique/);
    const txids = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(new Set(txids).size).toBe(3);
    expect(await labels()).toEqual(['row 1', 'row 2', 'row 3']);
  });

  it('rolls a batch back when a command fails after writing: nothing of it stays, and the others commit on their own', async () => {
    const writesThenFails = async (trx: Transaction<Database>) => {
      await insert(9)(trx);
      throw new Error('failed after writing');
    };
    const results = await Promise.allSettled([commands.run(insert(1)), commands.run(insert(2)), commands.run(writesThenFails), commands.run(insert(3))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason.message).toBe('failed after writing');
    const txids = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(new Set(txids).size).toBe(3);
    expect(await labels()).toEqual(['row 1', 'row 2', 'row 3']);
  });

  it('runs a command again after its batch when it locked an instance tree another command of the batch holds', async () => {
    const onTree = (id: number) => async (trx: Transaction<Database>) => {
      commands.locked(trx, 'root-1');
      return insert(id)(trx);
    };
    const txids = await Promise.all([commands.run(insert(1)), commands.run(onTree(2)), commands.run(onTree(3)), commands.run(insert(4))]);
    // 3 met the tree 2 holds: it ran again, after the others had committed together
    expect(new Set([txids[0], txids[1], txids[3]]).size).toBe(1);
    expect(txids[2]).not.toBe(txids[0]);
    expect(await labels()).toEqual(['row 1', 'row 2', 'row 3', 'row 4']);
  });

  it('keeps commands with one key apart and in the order they came', async () => {
    const order: number[] = [];
    const keyed = (id: number) => async (trx: Transaction<Database>) => {
      order.push(id);
      return insert(id)(trx);
    };
    const txids = await Promise.all([
      commands.run(keyed(1), { key: 'a' }),
      commands.run(keyed(2), { key: 'a' }),
      commands.run(keyed(3), { key: 'b' }),
      commands.run(keyed(4), { key: 'a' }),
      commands.run(keyed(5), { key: 'c' }),
    ]);
    // 1, 3 and 5 together (2 and 4 wait behind 1, which has their key); then 2; then 4
    expect(order.filter((id) => id === 1 || id === 2 || id === 4)).toEqual([1, 2, 4]);
    expect(new Set([txids[0], txids[2], txids[4]]).size).toBe(1);
    expect(new Set([txids[0], txids[1], txids[3]]).size).toBe(3);
  });

  it('rolls a batch back when a write sent with its COMMIT fails, and runs each command again on its own', async () => {
    /** a command whose insert is sent without waiting for its answer, as a command's writes are */
    const sends = (id: number, label = `row ${id}`) => async (trx: Transaction<Database>) => {
      const { answered } = await send(trx, [scratch(trx).insertInto('scratch').values({ id, label })]);
      const [txid] = await Promise.all([transactionId(trx), answered]);
      return txid;
    };
    const unanswered = (id: number, label: string) => async (trx: Transaction<Database>) => {
      await send(trx, [scratch(trx).insertInto('scratch').values({ id, label })]);
      return 'sent';
    };
    const results = await Promise.allSettled([
      commands.run(insert(1)), commands.run(sends(2)), commands.run(unanswered(2, 'duplicate key')), commands.run(sends(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    // the server answered the COMMIT of the aborted transaction with ROLLBACK
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(TransactionRolledBack);
    expect(await labels()).toEqual(['row 1', 'row 2', 'row 3']);
  });

  it('fails a command with the error of its write sent with the COMMIT, rather than the ROLLBACK that answered it', async () => {
    const ctx = { transactions: commands, committed: () => {} } as unknown as CommandContext;
    await insert(1)(opened().db as unknown as Transaction<Database>);
    const writesTwice = inTransaction(ctx, async (trx) => {
      answeredAtCommit(trx, (await send(trx, [scratch(trx).insertInto('scratch').values({ id: 1, label: 'again' })])).answered);
    });
    await expect(writesTwice).rejects.toThrow(/duplicate key|unique/);
    expect(await labels()).toEqual(['row 1']);
  });

  it('runs a command marked alone in a transaction of its own', async () => {
    const txids = await Promise.all([
      commands.run(insert(1)), commands.run(insert(2)), commands.run(insert(3), { alone: true }), commands.run(insert(4)),
    ]);
    expect(txids[1]).toBe(txids[3]);
    expect(txids[2]).not.toBe(txids[1]);
  });

  it('shares a read among the commands of one batch, and runs it anew for the next batch and for another name', async () => {
    let reads = 0;
    const read = (trx: Transaction<Database>) => async () => {
      reads += 1;
      return transactionId(trx);
    };
    const sharing = (name: string) => (trx: Transaction<Database>) => commands.sharedRead(trx, name, read(trx));
    const together = await Promise.all([sharing('a'), sharing('a'), sharing('b'), sharing('a')].map((work) => commands.run(work)));
    expect(reads).toBe(2);
    expect(new Set(together).size).toBe(1);
    const alone = await commands.run(sharing('a'));
    expect(reads).toBe(3);
    expect(alone).not.toBe(together[0]);
  });

  // PGlite has one connection, so one lane: only PostgreSQL opens a second transaction beside the first
  if (backend === 'postgres') describe('beside an open transaction', () => {
    const twoLanes = (gather: number, gatherMs: number) => {
      commands = new GroupCommit(opened().db, opened().views, { lanes: 2, maxBatch: 8, gather, gatherMs }, true);
    };
    const aWhile = () => new Promise((resolve) => setTimeout(resolve, 50));

    it('gathers the commands that arrive one by one, which then share the next transaction of the lane that frees', async () => {
      twoLanes(4, 60_000);
      const first = await running(1);
      const second = commands.run(insert(2));
      await aWhile();
      const third = commands.run(insert(3));
      await aWhile();
      expect(await labels()).toEqual([]);
      first.release();
      const [firstTxid, secondTxid, thirdTxid] = await Promise.all([first.txid, second, third]);
      expect(secondTxid).toBe(thirdTxid);
      expect(secondTxid).not.toBe(firstTxid);
      expect(await labels()).toEqual(['row 1', 'row 2', 'row 3']);
    });

    it('opens the second lane at once for as many commands as it gathers', async () => {
      twoLanes(4, 60_000);
      const first = await running(1);
      const txids = await Promise.all([2, 3, 4, 5].map((id) => commands.run(insert(id))));
      expect(new Set(txids).size).toBe(1);
      expect(await labels()).toEqual(['row 2', 'row 3', 'row 4', 'row 5']);
      first.release();
      expect(await first.txid).not.toBe(txids[0]);
    });

    it('opens it for fewer once the first of them has waited gatherMs', async () => {
      twoLanes(4, 20);
      const first = await running(1);
      await commands.run(insert(2));
      expect(await labels()).toEqual(['row 2']);
      first.release();
      await first.txid;
      expect(await labels()).toEqual(['row 1', 'row 2']);
    });
  });

  describe('events', () => {
    beforeEach(async () => {
      await sql`delete from outbox`.execute(opened().db);
      await sql`update outbox_positions set last_position = 0`.execute(opened().db);
    });
    const event = (type: string) => outboxRow(type, {}, new Date(), { process_instance_id: null, tenant_id: null, process_definition_key: null });
    /** inserts a row, and has its events inserted at the end of the transaction */
    const withEvents = (id: number, ...types: string[]) => async (trx: Transaction<Database>) => {
      expect(commands.addEvents(trx, types.map(event))).toBe(true);
      return insert(id)(trx);
    };
    const positioned = async () => (await sql<{ type: string; position: string | number }>`select type, position from outbox order by seq`
      .execute(opened().db)).rows.map((r) => `${r.type} ${r.position}`);

    it('inserts them last in their transaction, positioned in the order of the commands and of their commits, for the commands that succeeded only', async () => {
      const readsThenFails = async (trx: Transaction<Database>) => {
        commands.addEvents(trx, [event('refused')]);
        await scratch(trx).selectFrom('scratch').select('id').execute();
        throw new Error('the command itself refused');
      };
      const together = await Promise.allSettled([withEvents(1, 'a1', 'a2'), readsThenFails, withEvents(2, 'b1')].map((work) => commands.run(work)));
      expect(together.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      await commands.run(withEvents(3, 'c1'));
      expect(await positioned()).toEqual(['a1 1', 'a2 2', 'b1 3', 'c1 4']);
      expect((await sql<{ last: string | number }>`select last_position as last from outbox_positions`.execute(opened().db)).rows.map((r) => Number(r.last))).toEqual([4]);
    });

    it('fails a command with the error of its events\' insert, which leaves nothing of the transaction', async () => {
      const ctx = { transactions: commands, committed: () => {} } as unknown as CommandContext;
      const badEvent = inTransaction(ctx, async (trx) => {
        commands.addEvents(trx, [{ ...event('bad'), type: null as unknown as string }]);
        await insert(1)(trx);
      });
      await expect(badEvent).rejects.toThrow(/null value|not-null/);
      expect(await labels()).toEqual([]);
      expect(await positioned()).toEqual([]);
      await commands.run(withEvents(2, 'after'));
      expect(await positioned()).toEqual(['after 1']);
    });

    it('leaves a transaction it does not run to whoever commits it, and every event to the relay when told to', async () => {
      expect(commands.addEvents(opened().db as unknown as Transaction<Database>, [event('elsewhere')])).toBe(false);
      const leaving = new GroupCommit(opened().db, opened().views, { lanes: 1, maxBatch: 8, gather: 1, gatherMs: 0 }, false);
      expect(await leaving.run(async (trx) => leaving.addEvents(trx, [event('for the relay')]))).toBe(false);
      expect(await positioned()).toEqual([]);
    });
  });
});

// The statements that store a command's rows are written as text; they must be exactly what Kysely's
// PostgreSQL compiler writes for the same query builder calls, parameters included.
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type Compilable } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/persistence/database.js';
import { deleteRows, insertRows, updateRow, writeRows } from '../../src/persistence/row-statements.js';

const db = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const same = (ours: Compilable, kysely: Compilable) => {
  const [a, b] = [ours.compile(), kysely.compile()];
  expect({ sql: a.sql, parameters: a.parameters }).toEqual({ sql: b.sql, parameters: b.parameters });
};

const at = new Date('2026-01-02T03:04:05Z');
// rows as commands leave them: a value missing from one row, an undefined one, JSON, dates, nulls
const rows = [
  { id: 'a', name: 'x', type: 'json', value_text: null, value_info: { nested: [1, 'two'] }, created_at: at },
  { id: 'b', name: 'y', type: 'string', value_text: 'text', value_info: undefined, created_at: at, extra: 3 },
  { id: 'c', name: 'z', type: 'string', value_text: 'a "quoted" text' },
] as never[];

describe('row statements', () => {
  it('insert rows as Kysely does: every column some row has, DEFAULT where a row has none', () => {
    same(insertRows([['process_variables', rows]]), db.insertInto('process_variables').values(rows));
  });

  it('insert into several tables in one statement of data-modifying CTEs, parameters numbered across them', () => {
    const jobs = [{ id: 'j', type: 'timer', due_at: at, retries: 3 }] as never[];
    const audit = [{ id: 'l', operation: 'Start', user_id: null }] as never[];
    same(
      insertRows([['process_variables', rows], ['jobs', jobs], ['audit_log', audit]]),
      db.with('insert_0', (q) => q.insertInto('process_variables').values(rows))
        .with('insert_1', (q) => q.insertInto('jobs').values(jobs))
        .insertInto('audit_log').values(audit),
    );
  });

  it('update one row by id, every column but the id, undefined ones left out', () => {
    const row = { id: 'r', status: 'active', end_time: null, duration: undefined, sequence_counter: 4, started_by: 'me' };
    const { id, ...rest } = row;
    same(updateRow('process_instances', row as never), db.updateTable('process_instances').set(rest as never).where('id', '=', id));
  });

  it('update rows and insert others in one statement of data-modifying CTEs, updates first, parameters numbered across them', () => {
    const instance = { id: 'r', status: 'completed', end_time: at };
    const task = { id: 't', status: 'completed', assignee: null };
    const audit = [{ id: 'l', operation: 'Complete', user_id: null }] as never[];
    same(
      writeRows([['process_instances', instance as never], ['tasks', task as never]], [['process_variables', rows], ['audit_log', audit]]),
      db.with('update_0', (q) => q.updateTable('process_instances').set({ status: 'completed', end_time: at }).where('id', '=', 'r'))
        .with('update_1', (q) => q.updateTable('tasks').set({ status: 'completed', assignee: null }).where('id', '=', 't'))
        .with('insert_0', (q) => q.insertInto('process_variables').values(rows))
        .insertInto('audit_log').values(audit),
    );
  });

  it('delete rows by id', () => {
    same(deleteRows('executions', ['e1', 'e2', 'e3']), db.deleteFrom('executions').where('id', 'in', ['e1', 'e2', 'e3']));
  });

  it('delete, update and insert in one statement of data-modifying CTEs, deletes first, parameters numbered across them', () => {
    const task = { id: 't', status: 'completed' };
    const audit = [{ id: 'l', operation: 'Complete' }] as never[];
    same(
      writeRows([['tasks', task as never]], [['audit_log', audit]], [['executions', ['e1', 'e2']], ['jobs', ['j1']]]),
      db.with('delete_0', (q) => q.deleteFrom('executions').where('id', 'in', ['e1', 'e2']))
        .with('delete_1', (q) => q.deleteFrom('jobs').where('id', 'in', ['j1']))
        .with('update_0', (q) => q.updateTable('tasks').set({ status: 'completed' }).where('id', '=', 't'))
        .insertInto('audit_log').values(audit),
    );
  });
});

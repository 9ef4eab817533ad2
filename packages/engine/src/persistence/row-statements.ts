// The statements that store a command's rows: multi-row inserts, updates of one row by id, deletes by
// ids. Every command writes some, always of these three shapes, so their text is written here directly
// rather than built as a Kysely query tree and compiled, which took about a tenth of the engine's time
// on the async service-task path. Kysely still runs them (CompiledQuery.raw), and the text is what its
// PostgreSQL compiler writes for the same query: columns are those with a value in some row, and a row
// without a value for one of them inserts DEFAULT.
import { CompiledQuery, type Compilable } from 'kysely';
import type { TableName } from './database.js';

type Row = Readonly<Record<string, unknown>>;

export type Insert = readonly [TableName, readonly Row[]];
export type Update = readonly [TableName, Row & { id: string }];
export type Delete = readonly [TableName, readonly string[]];

const quoted = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/** a value written into the statement as SQL, not sent as a parameter: an expression of the statement's own */
export class SqlExpression {
  constructor(readonly text: string) {}
}

export const compilable = (sql: string, parameters: unknown[]): Compilable => {
  const compiled = CompiledQuery.raw(sql, parameters);
  return { compile: () => compiled };
};

/** `insert into t (…) values (…), (…)`, numbering its parameters after `parameters` */
export function insertText([table, rows]: Insert, parameters: unknown[]): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const column in row) {
      if (row[column] !== undefined && !seen.has(column)) {
        seen.add(column);
        columns.push(column);
      }
    }
  }
  const values = rows.map((row) => {
    const list = columns.map((column) => {
      const value = row[column];
      if (value === undefined) return 'default';
      if (value instanceof SqlExpression) return value.text;
      parameters.push(value);
      return `$${parameters.length}`;
    });
    return `(${list.join(', ')})`;
  });
  return `insert into ${quoted(table)} (${columns.map(quoted).join(', ')}) values ${values.join(', ')}`;
}

/** `update t set … where id = …`, every column of the row but its id, numbering its parameters after `parameters` */
function updateText([table, row]: Update, parameters: unknown[]): string {
  const set: string[] = [];
  for (const column in row) {
    const value = row[column];
    if (column === 'id' || value === undefined) continue;
    parameters.push(value);
    set.push(`${quoted(column)} = $${parameters.length}`);
  }
  parameters.push(row.id);
  return `update ${quoted(table)} set ${set.join(', ')} where "id" = $${parameters.length}`;
}

/** `delete from t where id in (…)`, numbering its parameters after `parameters` */
function deleteText([table, ids]: Delete, parameters: unknown[]): string {
  const list = ids.map((id) => {
    parameters.push(id);
    return `$${parameters.length}`;
  });
  return `delete from ${quoted(table)} where "id" in (${list.join(', ')})`;
}

/**
 * Deletes, updates and inserts, of one table or of several, as one statement of data-modifying CTEs:
 * PostgreSQL checks foreign keys at the end of the statement, so parents and children may share it. It
 * runs the parts in no set order, which is safe for a command's rows: each row is written by one part only,
 * no command changes a unique key of a row it updates, and a delete that may free a key an insert takes
 * again (one from a table the command also inserts into) is left to a statement of its own that goes first.
 */
export function writeRows(updates: readonly Update[], inserts: readonly Insert[], deletes: readonly Delete[] = []): Compilable {
  const parameters: unknown[] = [];
  const parts = [
    ...deletes.map((del, i) => [`delete_${i}`, () => deleteText(del, parameters)] as const),
    ...updates.map((update, i) => [`update_${i}`, () => updateText(update, parameters)] as const),
    ...inserts.map((insert, i) => [`insert_${i}`, () => insertText(insert, parameters)] as const),
  ];
  const ctes = parts.slice(0, -1).map(([name, text]) => `${quoted(name)} as (${text()})`);
  const last = parts[parts.length - 1]![1]();
  return compilable(ctes.length ? `with ${ctes.join(', ')} ${last}` : last, parameters);
}

export const insertRows = (inserts: readonly Insert[]): Compilable => writeRows([], inserts);

export const updateRow = (table: TableName, row: Row & { id: string }): Compilable => writeRows([[table, row]], []);

export const deleteRows = (table: TableName, ids: readonly string[]): Compilable => writeRows([], [], [[table, ids]]);

// Where a value shows if a table holds it in clear: every row of every table as text, and on PostgreSQL
// the pg_dump of the whole database too.
import { execFileSync } from 'node:child_process';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/persistence/database.js';
import { openDatabase } from '../../src/persistence/open-database.js';

export type RunSql = <R>(text: string) => Promise<R[]>;

export async function storedText(run: RunSql, databaseUrl?: string): Promise<string> {
  const tables = await run<{ name: string }>(
    `select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`);
  const rows: string[] = [];
  for (const { name } of tables) rows.push(...(await run<{ row: string }>(`select t::text as row from "${name}" t`)).map((r) => r.row));
  if (databaseUrl) rows.push(execFileSync('pg_dump', ['--no-owner', databaseUrl], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
  return rows.join('\n');
}

/** SQL on a database no engine has open (a PGlite directory is one process's at a time) */
export async function withDatabase<T>(
  options: { databaseUrl?: string; dataDir?: string },
  work: (run: RunSql, db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const opened = await openDatabase(options);
  try {
    return await work(async <R>(text: string) => (await sql.raw<R>(text).execute(opened.db)).rows, opened.db);
  } finally {
    await opened.close();
  }
}

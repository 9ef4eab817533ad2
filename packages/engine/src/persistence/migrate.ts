// Applies the package's migrations/*.sql in name order, each once, under an advisory lock so that several
// server nodes starting together do not race. The same files serve PostgreSQL and PGlite.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';

/** beside src/ and dist/ alike, so the same path serves the sources, the build and an installed package */
export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../migrations');
const LOCK_KEY = 7_300_730;

export async function migrate(db: Kysely<any>, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  if (await allApplied(db, files)) return [];
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
    await sql`create table if not exists schema_migrations (name varchar(255) primary key, applied_at timestamptz not null default now())`.execute(trx);
    const done = new Set((await sql<{ name: string }>`select name from schema_migrations`.execute(trx)).rows.map((r) => r.name));
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      for (const statement of statements(readFileSync(join(dir, file), 'utf8'))) await sql.raw(statement).execute(trx);
      await sql`insert into schema_migrations (name) values (${file})`.execute(trx);
      applied.push(file);
    }
    return applied;
  });
}

/** the common start of an engine over an up-to-date schema: one read, no lock */
async function allApplied(db: Kysely<any>, files: string[]): Promise<boolean> {
  const table = await sql<{ name: string | null }>`select to_regclass('schema_migrations')::text as name`.execute(db);
  if (!table.rows[0]?.name) return false;
  const done = new Set((await sql<{ name: string }>`select name from schema_migrations`.execute(db)).rows.map((r) => r.name));
  return files.every((f) => done.has(f));
}

/**
 * Both drivers prepare what they are sent, and a prepared statement holds one command, so a file is
 * split into statements: each ends with ';' at the end of a line, outside a function body quoted `$$ … $$`.
 */
function statements(text: string): string[] {
  const pieces = text.split(/;[ \t]*(?:--[^\n]*)?$/m);
  const joined: string[] = [];
  for (const piece of pieces) {
    const last = joined.length - 1;
    // an odd number of $$ so far: the piece continues a function body
    if (last >= 0 && (joined[last]!.match(/\$\$/g) ?? []).length % 2 === 1) joined[last] += `;${piece}`;
    else joined.push(piece);
  }
  return joined.map((s) => s.replace(/^\s*--.*$/gm, '').trim()).filter(Boolean);
}

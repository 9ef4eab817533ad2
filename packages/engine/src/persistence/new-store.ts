// A new data directory for the embedded store, made and migrated in a child process of its own (see
// pglite-store.ts for why); the engine's process then opens it as any existing one.
import { Kysely } from 'kysely';
import { migrate } from './migrate.js';
import { PGliteDialect } from './pglite-dialect.js';
import { createPGlite } from './pglite-store.js';

export async function makeStore(dataDir: string): Promise<void> {
  const db = new Kysely<unknown>({ dialect: new PGliteDialect(await createPGlite(dataDir)) });
  try {
    await migrate(db);
  } finally {
    await db.destroy();
  }
}

// An engine on a new embedded store does some work and closes; then the store is opened to read what the
// engine left in it (PGlite's directory is one process's at a time). The stores are dropped after the
// describe block's tests.
import type { Kysely } from 'kysely';
import { afterAll } from 'vitest';
import { createEngine, type Engine, type EngineOptions } from '../../src/index.js';
import type { Database } from '../../src/persistence/database.js';
import { openDatabase } from '../../src/persistence/open-database.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing/index.js';

export function embeddedStoreAfter(label: string) {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });
  return async <T>(options: EngineOptions, work: (engine: Engine) => Promise<void>, read: (db: Kysely<Database>) => Promise<T>): Promise<T> => {
    const database = await createTestDatabase('pglite', label);
    databases.push(database);
    const engine = await createEngine({ ...database.options, ...options });
    try {
      await work(engine);
    } finally {
      await engine.close();
    }
    const store = await openDatabase(database.options);
    try {
      return await read(store.db);
    } finally {
      await store.close();
    }
  };
}

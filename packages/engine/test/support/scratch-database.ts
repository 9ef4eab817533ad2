// A migrated database of one test backend, opened as the engine opens it, with a table `scratch` of its
// own for tests of the persistence layer. Opened before the describe block's tests, dropped after them.
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/persistence/open-database.js';
import { createTestDatabase, type BackendName, type TestDatabase } from '../../src/testing/index.js';

export interface Scratch { scratch: { id: number; label: string } }

export function scratchDatabase(backend: BackendName, label: string): () => OpenedDatabase {
  let database: TestDatabase | undefined;
  let opened: OpenedDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(backend, label);
    opened = await openDatabase(database.options);
    await sql`create table scratch (id int primary key, label text not null)`.execute(opened.db);
  });
  afterAll(async () => {
    await opened?.close();
    await database?.drop();
  });
  return () => opened!;
}

/** the labels of the scratch rows, by id */
export const scratchLabels = async (db: Kysely<Scratch>): Promise<string[]> =>
  (await db.selectFrom('scratch').select('label').orderBy('id').execute()).map((r) => r.label);

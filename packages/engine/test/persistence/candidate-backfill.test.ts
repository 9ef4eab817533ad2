// Migration 0015 gives the tasks of a store made before it the candidate arrays of their identity links, so
// that the candidate filters of GET /tasks find them: a store upgraded in place must answer as it did.
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskQuery } from '../../src/api/engine.js';
import { compileDefinitions } from '../../src/model/index.js';
import type { Database } from '../../src/persistence/database.js';
import { migrate, MIGRATIONS_DIR } from '../../src/persistence/migrate.js';
import { PGliteDialect } from '../../src/persistence/pglite-dialect.js';
import { openPGlite } from '../../src/persistence/pglite-store.js';
import { PostgresDialect } from '../../src/persistence/postgres-dialect.js';
import { DecisionRegistry } from '../../src/definitions/decision-registry.js';
import type { QueryContext } from '../../src/queries/query-context.js';
import { listTasks } from '../../src/queries/tasks.js';
import { createTestDatabase, postgresClient, testBackends, type BackendName } from '../../src/testing/index.js';
import { waitingAtUserTask } from '../support/models.js';

/** a database of the backend with no migration applied, as the engine's own dialects open it; PGlite's in memory */
async function bareDatabase(backend: BackendName): Promise<{ db: Kysely<Database>; drop(): Promise<void> }> {
  if (backend === 'pglite') return { db: new Kysely<Database>({ dialect: new PGliteDialect(await openPGlite(undefined)) }), drop: async () => {} };
  const database = await createTestDatabase(backend, 'engine/candidate-backfill');
  return { db: new Kysely<Database>({ dialect: new PostgresDialect(await postgresClient(database.options.databaseUrl!, { max: 2, onnotice: () => {} })) }), drop: database.drop };
}

describe.each(testBackends())('migration 0015 on %s', (backend) => {
  let bare: Awaited<ReturnType<typeof bareDatabase>> | undefined;
  let db: Kysely<Database>;
  const before = mkdtempSync(join(tmpdir(), 'pm-migrations-'));

  beforeAll(async () => {
    bare = await bareDatabase(backend);
    db = bare.db;
    for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => f < '0015')) copyFileSync(join(MIGRATIONS_DIR, file), join(before, file));
    await migrate(db, before);
    const task = (id: string, status: string) => sql`insert into tasks (id, name, process_definition_id, process_definition_key,
      task_definition_key, execution_id, status) values (${id}, 'Review', 'd1', 'order', 'wait', ${`e-${id}`}, ${status})`.execute(db);
    const link = (taskId: string, column: 'user_id' | 'group_id', name: string, type = 'candidate') =>
      sql`insert into task_identity_links (id, task_id, type, ${sql.ref(column)}) values (${`${taskId}-${name}-${type}`}, ${taskId}, ${type}, ${name})`.execute(db);
    await task('open', 'created');
    await link('open', 'group_id', 'sales');
    await link('open', 'group_id', 'managers');
    // upper case before lower, as a JavaScript sort has it, whatever the database's collation
    await link('open', 'group_id', 'Ops');
    await link('open', 'user_id', 'carol');
    await link('open', 'user_id', 'dave', 'assignee');
    await task('done', 'completed');
    await link('done', 'group_id', 'sales');
    await task('nobody', 'created');
    await migrate(db);
  });

  afterAll(async () => {
    await db?.destroy();
    await bare?.drop();
    rmSync(before, { recursive: true, force: true });
  });

  it('writes each task the candidates of its links, in code-point order as the engine does, and empty arrays where it has none', async () => {
    const rows = await db.selectFrom('tasks').select(['id', 'candidate_users', 'candidate_groups']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'done', candidate_users: [], candidate_groups: ['sales'] },
      { id: 'nobody', candidate_users: [], candidate_groups: [] },
      { id: 'open', candidate_users: ['carol'], candidate_groups: ['Ops', 'managers', 'sales'] },
    ]);
  });

  it('lets the candidate filters find the tasks made before it, open or ended', async () => {
    const [model] = (await compileDefinitions(waitingAtUserTask('order'))).processes;
    const ctx: QueryContext = { db, model: async () => model!, decisions: new DecisionRegistry(), historyLevel: 'full', now: () => new Date() };
    const ids = async (query: TaskQuery) => (await listTasks(ctx, query)).data.map((t) => t.id);
    expect(await ids({ candidate_group: 'sales' })).toEqual(['open']);
    expect(await ids({ candidate_group: 'sales', status: 'completed' })).toEqual(['done']);
    expect(await ids({ candidate_user: 'carol' })).toEqual(['open']);
    expect(await ids({ candidate_user: 'dave' })).toEqual([]);
  });
});

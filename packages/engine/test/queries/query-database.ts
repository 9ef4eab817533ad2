// A migrated database on one test backend with a QueryContext over it. The read-side tests seed rows
// directly: they test the queries, not the commands that normally write those rows.
import { DecisionRegistry } from '../../src/definitions/decision-registry.js';
import type { HistoryLevel } from '../../src/api/engine.js';
import type { ProcessModel } from '../../src/model/process-model.js';
import { openDatabase } from '../../src/persistence/open-database.js';
import type { QueryContext } from '../../src/queries/query-context.js';
import { createTestDatabase, type BackendName } from '../../src/testing/index.js';

/** The clock of every query test: seeded times are set relative to it. */
export const NOW = new Date('2026-03-10T12:00:00.000Z');

export interface QueryDatabase {
  ctx: QueryContext;
  /** the same database seen at another history level */
  at(historyLevel: HistoryLevel): QueryContext;
  close(): Promise<void>;
}

export async function openQueryDatabase(
  backend: BackendName,
  label: string,
  model: (definitionId: string) => Promise<ProcessModel> = async (id) => { throw new Error(`no model for ${id} in this test`); },
): Promise<QueryDatabase> {
  const testDb = await createTestDatabase(backend, `queries/${label}`);
  const opened = await openDatabase(testDb.options);
  const decisions = new DecisionRegistry();
  const at = (historyLevel: HistoryLevel): QueryContext => ({ db: opened.db, model, decisions, historyLevel, now: () => NOW });
  return {
    ctx: at('full'),
    at,
    close: async () => {
      await opened.close();
      await testDb.drop();
    },
  };
}

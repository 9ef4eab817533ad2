// One engine per describe block, on a database of its own, with the given models deployed.
import { afterAll, beforeAll } from 'vitest';
import { createEngine, type Engine, type EngineOptions } from '../../src/index.js';
import { createTestDatabase, type BackendName, type TestDatabase } from '../../src/testing/index.js';

export function engineUnderTest(backend: BackendName, label: string, models: string[] = [], options: EngineOptions = {}): () => Engine {
  let database: TestDatabase | undefined;
  let engine: Engine | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(backend, label);
    engine = await createEngine({ ...database.options, ...options });
    for (const bpmn_xml of models) await engine.deploy({ bpmn_xml });
  });
  afterAll(async () => {
    await engine?.close();
    await database?.drop();
  });
  return () => engine!;
}

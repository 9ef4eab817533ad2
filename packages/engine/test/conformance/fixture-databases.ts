// A fresh database for every run of a fixture, so that no message, subscription or definition of one
// fixture can reach another. A new PGlite directory costs seconds (initdb); copying a migrated,
// cleanly closed template directory costs milliseconds, the way PostgreSQL's CREATE DATABASE … TEMPLATE does.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../../src/index.js';
import { createTestDatabase, type BackendName, type TestDatabase } from '../../src/testing/index.js';

export interface FixtureDatabases {
  fresh(label: string): Promise<TestDatabase>;
  close(): Promise<void>;
}

export async function fixtureDatabases(backend: BackendName): Promise<FixtureDatabases> {
  if (backend === 'postgres') {
    return { fresh: (label) => createTestDatabase(backend, `conformance/${label}`), close: async () => {} };
  }
  const template = await createTestDatabase(backend, 'conformance/template');
  await (await createEngine(template.options)).close();
  return {
    fresh: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pm-conformance-'));
      const dataDir = join(dir, 'data');
      cpSync(template.options.dataDir!, dataDir, { recursive: true });
      return { backend, options: { dataDir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
    close: () => template.drop(),
  };
}

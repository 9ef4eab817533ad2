// The server as `npm start` runs it (serving the built UI), in a process of its own, on the embedded
// PGlite store of a fresh data directory.
import { renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createEngine, type Engine } from '@dadms/process-engine';
import { createTestDatabase, freePort } from '@dadms/process-engine/testing';
import { ServerProcess } from '../../../server/test/faults/harness.js';

export interface UiServer {
  url: string;
  server: ServerProcess;
  close(): Promise<void>;
}

/** `seed` fills the store through an engine of its own before the server opens it. */
export async function startUiServer(label: string, seed?: (engine: Engine) => Promise<void>): Promise<UiServer> {
  // a migrated copy of the store, to save initdb's seconds; the server finds it in DATA_DIR/pglite
  const db = await createTestDatabase('pglite', `web/${label}`);
  if (seed) {
    const engine = await createEngine(db.options);
    try {
      await seed(engine);
    } finally {
      await engine.close();
    }
  }
  const dataDir = dirname(db.options.dataDir!);
  renameSync(db.options.dataDir!, join(dataDir, 'pglite'));
  const server = new ServerProcess(await freePort(), { DATA_DIR: dataDir });
  await server.start();
  return {
    url: server.url,
    server,
    close: async () => {
      await server.kill();
      await db.drop();
    },
  };
}

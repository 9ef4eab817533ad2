// The server as `npm start` runs it (serving the built UI), in a process of its own, on the embedded
// PGlite store of a fresh data directory.
import { renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createTestDatabase, freePort } from '@dadms/process-engine/testing';
import { ServerProcess } from '../../../server/test/faults/harness.js';

export interface UiServer {
  url: string;
  server: ServerProcess;
  close(): Promise<void>;
}

export async function startUiServer(label: string): Promise<UiServer> {
  // a migrated copy of the store, to save initdb's seconds; the server finds it in DATA_DIR/pglite
  const db = await createTestDatabase('pglite', `web/${label}`);
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

// PGlite as the engine opens it, for the memory of a process that runs for weeks.
// - PostgreSQL's initdb, which a new data directory needs, grows PGlite's WebAssembly memory to about
//   600 MB, and a WebAssembly memory never shrinks; applying the migrations to the new store grows it
//   further. A new directory is therefore made and migrated by a child process, which gives all of that
//   back as it exits, and this process only opens the finished directory.
// - shared_buffers is 16 MB rather than PostgreSQL's 128 MB. The buffers live in that same memory, and every
//   page once read stays there; a page that is not among them is read from the operating system's file
//   cache, which keeps the store's recent pages anyway, at the cost of a system call per page.
// Durability is PGlite's own and unchanged: it never calls fsync (see the README).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';
import { importPeer } from '../util/peer-dependency.js';
import { siblingModule } from '../util/worker-module.js';

const SHARED_BUFFERS = '16MB';

/** what the child process runs: new-store.ts's makeStore, loaded as worker-module.ts loads a worker's module */
const MAKE_STORE = `const [dataDir, module, tsx] = process.argv.slice(1);
(async () => {
  if (tsx) (await import(tsx)).register();
  await (await import(module)).makeStore(dataDir);
})().catch((e) => { console.error(e); process.exit(1); });`;

const newStore = siblingModule(import.meta.url, 'new-store');

/** a store in `dataDir`, made and migrated first when there is none; in memory without one */
export async function openPGlite(dataDir: string | undefined): Promise<PGlite> {
  if (dataDir !== undefined && !existsSync(join(dataDir, 'PG_VERSION'))) {
    await promisify(execFile)(process.execPath, ['-e', MAKE_STORE, dataDir, newStore.module, ...(newStore.tsx ? [newStore.tsx] : [])]);
  }
  return createPGlite(dataDir);
}

/** PGlite on `dataDir` with the engine's settings; PGlite makes the directory when it opens a path that has none */
export async function createPGlite(dataDir: string | undefined): Promise<PGlite> {
  // an optional peer: loaded only by an engine that uses the embedded store
  const { PGlite } = await importPeer<typeof import('@electric-sql/pglite')>('@electric-sql/pglite');
  return PGlite.create(dataDir, { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`] });
}

// PGlite as the engine opens it, for the memory of a process that runs for weeks.
// - PostgreSQL's initdb, which a new data directory needs, grows PGlite's WebAssembly memory to about
//   600 MB, and a WebAssembly memory never shrinks: a new directory is therefore made by a child process,
//   which gives all of it back as it exits, and this process only opens the finished directory.
// - shared_buffers is 16 MB rather than PostgreSQL's 128 MB. The buffers live in that same memory, and every
//   page once read stays there; a page that is not among them is read from the operating system's file
//   cache, which keeps the store's recent pages anyway, at the cost of a system call per page.
// Durability is PGlite's own and unchanged: it never calls fsync (see the README).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';
import { importPeer } from '../util/peer-dependency.js';

const SHARED_BUFFERS = '16MB';

/** what a child process runs to make a new data directory: PGlite makes one as it opens a path that has none */
const initdb = (): string => `const { PGlite } = require(${JSON.stringify(createRequire(import.meta.url).resolve('@electric-sql/pglite'))});
PGlite.create(process.argv[1]).then((pg) => pg.close()).catch((e) => { console.error(e); process.exit(1); });`;

/** a store in `dataDir`, made first when there is none; in memory without one */
export async function openPGlite(dataDir: string | undefined): Promise<PGlite> {
  // an optional peer: loaded only by an engine that uses the embedded store
  const { PGlite } = await importPeer<typeof import('@electric-sql/pglite')>('@electric-sql/pglite');
  if (dataDir !== undefined && !existsSync(join(dataDir, 'PG_VERSION'))) await promisify(execFile)(process.execPath, ['-e', initdb(), dataDir]);
  return PGlite.create(dataDir, { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`] });
}

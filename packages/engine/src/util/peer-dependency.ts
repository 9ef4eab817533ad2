// The database and queue drivers are optional peer dependencies: an embedder installs the ones its
// options use (PGlite, or postgres for a databaseUrl; bullmq and ioredis for a redisUrl), and each is
// imported when an engine first needs it, so that the others need not be installed at all.
import { readFileSync } from 'node:fs';
import { EngineError } from '../errors.js';

const USED_FOR = {
  '@electric-sql/pglite': 'the embedded store (an engine without databaseUrl)',
  postgres: 'a PostgreSQL store (databaseUrl)',
  bullmq: 'the job queue in Redis (redisUrl)',
  ioredis: 'Redis (redisUrl)',
} as const;

export type PeerName = keyof typeof USED_FOR;

/** imports a module by name; tests pass one that resolves from elsewhere */
export type ModuleLoader = (name: string) => Promise<unknown>;

const importFromHere: ModuleLoader = (name) => import(name);

/** Imports the peer `name`, or fails with an error that names it and how to install it. */
export async function importPeer<T>(name: PeerName, load: ModuleLoader = importFromHere): Promise<T> {
  try {
    return (await load(name)) as T;
  } catch (e) {
    if (!isMissing(e, name)) throw e;
    throw new EngineError(
      'UNAVAILABLE',
      `The package '${name}' is needed for ${USED_FOR[name]} but is not installed: run npm install ${name}@${declaredRange(name)}`,
      { details: { package: name }, cause: e },
    );
  }
}

/** Node's error for a package that cannot be found, for this package itself (not one of its own imports) */
function isMissing(e: unknown, name: string): boolean {
  const error = e as NodeJS.ErrnoException;
  return error?.code === 'ERR_MODULE_NOT_FOUND' && error.message.includes(`Cannot find package '${name}'`);
}

/** Imports a module of this package that imports `peers` itself, once each of them is known to be there. */
export async function importWithPeers<T>(peers: readonly PeerName[], load: () => Promise<T>): Promise<T> {
  for (const peer of peers) await importPeer(peer);
  return load();
}

/** the version range this package declares for the peer (package.json is beside src/ and dist/ alike) */
function declaredRange(name: PeerName): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return manifest.peerDependencies[name];
}

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
/** resolves a module's name to its URL, as import.meta.resolve; tests pass one that resolves from elsewhere */
export type ModuleResolver = (name: string) => string;

const importFromHere: ModuleLoader = (name) => import(name);
const resolveFromHere: ModuleResolver = (name) => import.meta.resolve(name);

/** Imports the peer `name`, or fails with an error that names it and how to install it. */
export async function importPeer<T>(name: PeerName, load: ModuleLoader = importFromHere): Promise<T> {
  try {
    return (await load(name)) as T;
  } catch (e) {
    throw notInstalled(e, name) ?? e;
  }
}

/** Fails, at once, with an error naming the first of `peers` that is not installed. */
export function requirePeers(peers: readonly PeerName[], resolve: ModuleResolver = resolveFromHere): void {
  for (const name of peers) {
    try {
      resolve(name);
    } catch (e) {
      throw notInstalled(e, name) ?? e;
    }
  }
}

/**
 * Imports a module of this package that imports `peers` itself. A missing peer fails before anything is
 * loaded, so that a start fails before it opens the database.
 */
export function importWithPeers<T>(peers: readonly PeerName[], load: () => Promise<T>): Promise<T> {
  requirePeers(peers);
  return load();
}

/** the error for Node's failure to find the package `name` itself (not one of its own imports) */
function notInstalled(e: unknown, name: PeerName): EngineError | undefined {
  const error = e as NodeJS.ErrnoException;
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !error.message.includes(`Cannot find package '${name}'`)) return undefined;
  return new EngineError(
    'UNAVAILABLE',
    `The package '${name}' is needed for ${USED_FOR[name]} but is not installed: run npm install ${name}@${declaredRange(name)}`,
    { details: { package: name }, cause: e },
  );
}

/** the version range this package declares for the peer (package.json is beside src/ and dist/ alike) */
function declaredRange(name: PeerName): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return manifest.peerDependencies[name];
}

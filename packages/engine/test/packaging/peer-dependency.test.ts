// The drivers are optional peer dependencies: one that the options need and that is not installed stops
// the engine with an error naming the package and how to install it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importPeer, requirePeers, type ModuleLoader, type ModuleResolver } from '../../src/util/peer-dependency.js';

// A loader installed as a package of its own outside the repository, where no driver is installed: Node
// (not the test runner, which leaves what is under node_modules to Node) looks for the driver from there.
const outside = mkdtempSync(join(tmpdir(), 'pm-no-peers-'));
const loaderDir = join(outside, 'node_modules', 'peer-loader');
mkdirSync(loaderDir, { recursive: true });
writeFileSync(join(loaderDir, 'index.mjs'), 'export const load = (name) => import(name);\nexport const resolve = (name) => import.meta.resolve(name);\n');
const outsideModule: { load: ModuleLoader; resolve: ModuleResolver } = await import(pathToFileURL(join(loaderDir, 'index.mjs')).href);
afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('optional peer dependencies', () => {
  it('names a peer that is not installed, what it is for, and how to install it', async () => {
    const failed = importPeer('bullmq', outsideModule.load);
    await expect(failed).rejects.toMatchObject({ code: 'UNAVAILABLE', details: { package: 'bullmq' } });
    await expect(failed).rejects.toThrow(
      "The package 'bullmq' is needed for the job queue in Redis (redisUrl) but is not installed: run npm install bullmq@^6.7.0",
    );
  });

  it('names PGlite when the embedded store has no driver', async () => {
    await expect(importPeer('@electric-sql/pglite', outsideModule.load)).rejects.toThrow(/'@electric-sql\/pglite' is needed for the embedded store.*npm install @electric-sql\/pglite@0\.5\.16/);
  });

  it('finds a missing peer before anything is loaded', () => {
    expect(() => requirePeers(['postgres', 'ioredis'], outsideModule.resolve)).toThrow(
      "The package 'postgres' is needed for a PostgreSQL store (databaseUrl) but is not installed: run npm install postgres@^3.4.9",
    );
    expect(() => requirePeers(['bullmq', 'ioredis'])).not.toThrow();
  });

  it('passes on a failure inside an installed peer unchanged', async () => {
    const broken = new Error('the driver failed to load');
    await expect(importPeer('postgres', () => Promise.reject(broken))).rejects.toBe(broken);
  });

  it('hands out an installed peer', async () => {
    const { default: postgres } = await importPeer<{ default: unknown }>('postgres');
    expect(typeof postgres).toBe('function');
  });
});

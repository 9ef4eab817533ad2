// The engine as another project gets it: packed with `npm pack` (which builds it), checked by publint and
// arethetypeswrong, installed from the tarball into a project outside the repository with only the driver
// it uses, and run there by plain `node`, with no TypeScript loader, on PGlite and on PostgreSQL.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends } from '../../src/testing/index.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const engineDir = fileURLToPath(new URL('../..', import.meta.url));
const peers: Record<string, string> = JSON.parse(readFileSync(join(engineDir, 'package.json'), 'utf8')).peerDependencies;
/** npm's cache serves what the repository's own install fetched: nothing is audited, nothing is asked twice */
const NPM_QUIET = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
const SETUP_TIMEOUT_MS = 240_000;

let work: string;
let tarball: string;
let project: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'pm-engine-pack-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work, ...NPM_QUIET], { cwd: engineDir, maxBuffer: 64 << 20 });
  tarball = join(work, JSON.parse(stdout.slice(stdout.indexOf('[')))[0].filename);
  project = join(work, 'project');
  await run('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'engine-consumer', private: true, type: 'module' }));
  // the drivers of both stores, as the engine's peer ranges name them; no BullMQ, no ioredis
  const drivers = ['postgres', '@electric-sql/pglite'].map((name) => `${name}@${peers[name]}`);
  await run('npm', ['install', tarball, ...drivers, '--ignore-scripts', ...NPM_QUIET], { cwd: project });
  copyFileSync(new URL('./installed/run-process.mjs', import.meta.url), join(project, 'run-process.mjs'));
}, SETUP_TIMEOUT_MS);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const runNode = (script: string, env: Record<string, string>) =>
  run(process.execPath, [script], { cwd: project, env: { ...process.env, ...env }, timeout: 120_000 });

describe('the packed engine', () => {
  it('has no problem publint finds', async () => {
    const { messages, pkg } = await publint({ pack: { tarball: readFileSync(tarball).buffer as ArrayBuffer }, strict: true });
    expect(messages.map((m) => formatMessage(m, pkg))).toEqual([]);
  });

  it('has types that resolve for ES module consumers (arethetypeswrong)', async () => {
    const attw = join(dirname(require.resolve('@arethetypeswrong/cli/package.json')), 'dist/index.js');
    // exits non-zero on a problem of the profile; the report also lists those of CommonJS and node10 resolution, which an ES-module-only package has
    const { stdout } = await run(process.execPath, [attw, tarball, '--profile', 'esm-only', '--format', 'json'], { timeout: 120_000, maxBuffer: 64 << 20 });
    const problems = Object.values(JSON.parse(stdout).problems as Record<string, { resolutionKind?: string }[]>).flat();
    expect(problems.filter((p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs')).toEqual([]);
  });

  it('installs its build, declarations and migrations, without the tests', () => {
    const installed = join(project, 'node_modules/@dadms/process-engine');
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/index.d.ts.map', 'dist/testing/index.js', 'migrations/0001_initial.sql', 'LICENSE', 'README.md']) {
      expect(existsSync(join(installed, file)), file).toBe(true);
    }
    expect(existsSync(join(installed, 'test'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/bullmq'))).toBe(false);
  });

  it.each(testBackends())('runs a process on %s under plain node', async (backend) => {
    const database = await createTestDatabase(backend, 'packaging/pack-install');
    try {
      const env: Record<string, string> = database.options.databaseUrl ? { DATABASE_URL: database.options.databaseUrl } : { DATA_DIR: database.options.dataDir! };
      const { stdout } = await runNode('run-process.mjs', env);
      expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ task: 'Approve order', status: 'completed', score: 42, approved: true });
    } finally {
      await database.drop();
    }
  });

  it('names the missing driver when the options need one that is not installed', async () => {
    writeFileSync(join(project, 'with-redis.mjs'), `import { createEngine } from '@dadms/process-engine';
await createEngine({ redisUrl: 'redis://127.0.0.1:6379' });`);
    const failed = await runNode('with-redis.mjs', {}).then(() => undefined, (e: { stderr: string }) => e.stderr);
    expect(failed).toContain("The package 'bullmq' is needed for the job queue in Redis (redisUrl) but is not installed: run npm install bullmq@^6.7.0");
  });
});

// The idle server's memory on the embedded store (`npm run bench -- memory`): the server is started on a
// new data directory and then again on the same one, and its resident set size is read once /health has
// answered 200 and the process has been idle a few seconds. A new directory is the first start of a fresh
// install: PostgreSQL's initdb runs then. The server runs as `npm run dev` runs it (tsx on the sources) and,
// when it has been built, as `npm start` runs it: compiled JavaScript (apps/server/dist/server.js), whose
// process compiles no TypeScript and keeps no source maps.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@dadms/process-engine/testing';
import { residentMiB } from './proc-cpu.js';

export interface IdleMemoryRow {
  server: string;
  start: 'new data directory' | 'existing data directory';
  /** resident set size, MiB, idle after start-up; NaN where the system does not say (not Linux) */
  rssMiB: number;
  /** from spawning the process to /health answering 200 */
  readySeconds: number;
}

/** seconds the server is left idle before its memory is read */
export const IDLE_SECONDS = 5;
const READY_TIMEOUT_MS = 120_000;

const COMPILED = 'apps/server/dist/server.js';

export async function benchIdleMemory(): Promise<IdleMemoryRow[]> {
  const servers = [{ server: 'sources through tsx (npm run dev)', args: ['--conditions=source', '--import', 'tsx', 'apps/server/src/server.ts'] }];
  if (existsSync(COMPILED)) servers.push({ server: `compiled (${COMPILED}, npm start)`, args: [COMPILED] });
  const rows: IdleMemoryRow[] = [];
  for (const { server, args } of servers) {
    const dir = mkdtempSync(join(tmpdir(), 'pm-bench-memory-'));
    try {
      for (const start of ['new data directory', 'existing data directory'] as const) rows.push({ server, start, ...await idleServer(args, join(dir, 'data')) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

async function idleServer(args: string[], dataDir: string): Promise<Pick<IdleMemoryRow, 'rssMiB' | 'readySeconds'>> {
  const port = await freePort();
  const t0 = performance.now();
  const server = spawn(process.execPath, args, {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'error', DATABASE_URL: '', REDIS_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!(await healthy(port))) {
      if (server.exitCode !== null || Date.now() > deadline) throw new Error(`the server on ${dataDir} did not become healthy`);
      await sleep(100);
    }
    const readySeconds = (performance.now() - t0) / 1000;
    await sleep(IDLE_SECONDS * 1000);
    return { rssMiB: residentMiB(server.pid!), readySeconds };
  } finally {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health`)).status === 200;
  } catch {
    return false;
  }
}

// `npm run bench:startup`: how long the compiled server takes from process start to its first /health 200,
// measured from outside as an operator sees a restart: spawn `node apps/server/dist/server.js`, ask /health
// every 5 ms, SIGKILL the server once it answers, and start it again. The first start of each backend meets
// an empty store (it applies the migrations); the restarts after it meet the store it left. Beside the wall
// time it prints the CPU time the server used until then (Linux), which a busy machine disturbs less.
// It only prints.
//   --restarts=N         starts per backend after the first (default 5)
//   --backends=a,b       postgres (with Redis), pglite (default both)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestDatabase, dropQueueKeys, freePort } from '@dadms/process-engine/testing';
import { redisUrl } from './jobs.js';
import { cpuMs } from './proc-cpu.js';

const SERVER = new URL('../apps/server/dist/server.js', import.meta.url);
const POLL_MS = 5;
const GIVE_UP_MS = 60_000;

const { values: flags } = parseArgs({ options: { restarts: { type: 'string', default: '5' }, backends: { type: 'string', default: 'postgres,pglite' } } });
const restarts = Number(flags.restarts);
if (!existsSync(SERVER)) {
  console.error('the compiled server is missing: run `npm run build` first');
  process.exit(2);
}

interface Start {
  /** ms from spawning the server to its first /health 200 */
  wall: number;
  /** ms of CPU (user + system) the server had used by then; NaN where /proc is not there */
  cpu: number;
}

/** starts the server, waits for its first /health 200, then SIGKILLs it */
async function startOnce(env: Record<string, string>): Promise<Start> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [SERVER.pathname], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', AUTH_DISABLED: 'true' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
      if (performance.now() - started > GIVE_UP_MS) throw new Error('the server did not answer /health 200 within 60 s');
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
      if (ok) return { wall: performance.now() - started, cpu: cpuMs(child.pid!) };
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

async function measure(backend: string, env: Record<string, string>): Promise<void> {
  const first = await startOnce(env);
  const again: Start[] = [];
  for (let i = 0; i < restarts; i++) again.push(await startOnce(env));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const ms = (n: number) => `${Math.round(n)} ms`;
  const start = (s: Start) => `${ms(s.wall)} (CPU ${ms(s.cpu)})`;
  console.log(`${backend}: first start, applying the migrations: ${start(first)}`);
  console.log(`  restarts: ${again.map(start).join(', ')}`);
  console.log(`  median ${ms(median(again.map((s) => s.wall)))} (CPU ${ms(median(again.map((s) => s.cpu)))}), max ${ms(Math.max(...again.map((s) => s.wall)))}`);
}

for (const backend of flags.backends.split(',').map((b) => b.trim())) {
  if (backend === 'postgres') {
    const db = await createTestDatabase('postgres', 'bench-startup');
    const prefix = `bench-startup-${process.pid}`;
    try {
      await measure('PostgreSQL + Redis', { DATABASE_URL: db.options.databaseUrl!, REDIS_URL: redisUrl(), JOB_QUEUE_PREFIX: prefix });
    } finally {
      await db.drop();
      await dropQueueKeys(redisUrl(), prefix);
    }
  } else if (backend === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'pm-bench-startup-'));
    try {
      await measure('PGlite', { DATA_DIR: join(dir, 'data') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    console.error(`unknown backend ${backend}: postgres or pglite`);
    process.exit(2);
  }
}

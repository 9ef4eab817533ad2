// The server in the bench's own process, on an ephemeral loopback port, with the bench's models deployed:
// its CPU time is the bench process's, while the load comes from a child process (bench/load-process.ts).
import { createEngine, type EngineOptions } from '@dadms/process-engine';
import { API_PREFIX, buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config.js';
import { deployOverHttp } from './drivers.js';

export interface InProcessServer {
  app: Awaited<ReturnType<typeof buildApp>>;
  /** the API's base path, for the HTTP driver */
  baseUrl: string;
}

/**
 * The caller closes `app`, which closes its engine. `engineMetrics: false` gives the engine no observer, so
 * that it counts nothing for /metrics (what the tracing figures compare against).
 */
export async function startServer(options: EngineOptions, { engineMetrics = true } = {}): Promise<InProcessServer> {
  // Level error: request logs and the open-API warning would interleave with the figures.
  const config = loadConfig({ LOG_LEVEL: 'error', DATABASE_URL: options.databaseUrl });
  const app = await buildApp({
    config, startEngine: (log, observer) => createEngine({ ...options, logger: log, ...(engineMetrics ? { observer } : {}) }),
  });
  try {
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    await untilHealthy(address);
    // what the server compiles in the background after a start would otherwise share the first figure's CPU
    app.compileValidators();
    const baseUrl = `${address}${API_PREFIX}`;
    await deployOverHttp(baseUrl);
    return { app, baseUrl };
  } catch (err) {
    await app.close();
    throw err;
  }
}

/** The API answers 503 until the engine has started. */
async function untilHealthy(address: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await fetch(`${address}/health`)).status !== 200) {
    if (Date.now() > deadline) throw new Error('the server did not become healthy within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

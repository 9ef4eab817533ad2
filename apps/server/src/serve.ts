// Runs the service in this process: listens at once (health answers 503 while the engine starts), starts the
// engine — retrying while its database cannot be reached — and closes gracefully on SIGTERM/SIGINT, or when
// the cluster's primary asks a worker to (cluster.ts).
import cluster from 'node:cluster';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine, type EngineOptions } from '@dadms/process-engine';
import type { FastifyBaseLogger } from 'fastify';
import { buildApp } from './app.js';
import { SHUTDOWN_MESSAGE } from './cluster.js';
import type { Config } from './config.js';
import { engineOptions } from './engine-options.js';
import { startTracing } from './tracing.js';

/** A close that takes longer than this (a stuck connection) ends the process anyway. */
export const SHUTDOWN_TIMEOUT_MS = 10_000;
const MAX_RETRY_DELAY_MS = 30_000;

/** The database may come up after the service (containers started together): keep trying, with backoff. */
async function startEngineWhenReachable(options: EngineOptions, log: FastifyBaseLogger, signal: AbortSignal): Promise<Engine> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await createEngine(options);
    } catch (err) {
      if (signal.aborted) throw err;
      const delay = Math.min(MAX_RETRY_DELAY_MS, 1000 * 2 ** (attempt - 1));
      log.error({ err, attempt, retry_in_ms: delay }, 'the engine could not start; retrying');
      await sleep(delay, undefined, { signal });
    }
  }
}

export async function serve(config: Config): Promise<void> {
  // before the engine starts, so that its first commands are traced too
  const stopTracing = await startTracing();
  const stopStarting = new AbortController();
  const app = await buildApp({
    config,
    webRoot: fileURLToPath(new URL('../../web/dist/', import.meta.url)),
    startEngine: (log, observer) => startEngineWhenReachable(engineOptions(config, log, observer), log, stopStarting.signal),
  });

  let closing = false;
  async function shutdown(signal: NodeJS.Signals): Promise<void> {
    if (closing) {
      app.log.warn({ signal }, 'second signal: exiting at once');
      process.exit(1);
    }
    closing = true;
    app.log.info({ signal }, 'closing');
    setTimeout(() => {
      app.log.error('graceful close timed out');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    await app.close();
    stopStarting.abort();
    // the spans of the last requests go out before the process ends
    await stopTracing().catch((err: unknown) => app.log.warn({ err }, 'flushing the traces failed'));
    process.exit(0);
  }
  // A worker of a cluster hears Ctrl+C along with its primary, which then asks it to close as well: it closes
  // once, and a second signal is the primary's to act on.
  const onSignal = (signal: NodeJS.Signals) => {
    if (!closing || !cluster.isWorker) void shutdown(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  if (cluster.isWorker) process.on('message', (message) => message === SHUTDOWN_MESSAGE && onSignal('SIGTERM'));

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    app.log.fatal({ err }, 'could not listen');
    process.exit(1);
  }
}

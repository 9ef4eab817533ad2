// Starts the service: reads the configuration, then serves in this process, or with CLUSTER_WORKERS above 1
// supervises that many worker processes that each serve (cluster.ts).
import cluster from 'node:cluster';
import { pino } from 'pino';
import { superviseWorkers } from './cluster.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { serve, SHUTDOWN_TIMEOUT_MS } from './serve.js';

/** the primary gives the workers their own close's time, and a little more for their exit to reach it */
const CLUSTER_SHUTDOWN_MARGIN_MS = 2_000;

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}

if (config.clusterWorkers > 1 && cluster.isPrimary) {
  const log = pino({ level: config.logLevel }).child({ component: 'cluster' });
  superviseWorkers({ workers: config.clusterWorkers, shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS + CLUSTER_SHUTDOWN_MARGIN_MS }, log);
} else {
  await serve(config);
}

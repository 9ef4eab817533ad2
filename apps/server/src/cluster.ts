// CLUSTER_WORKERS: several server processes on one port. The primary serves nothing itself: it forks the
// workers (each a full node of the engine, with its own database pool, jobs and event relay, sharing the
// store and Redis with the others), forks another when one dies, and on SIGTERM or SIGINT asks each to close
// gracefully and exits once they all have. The workers take turns at accepting connections on the port.
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';

/** what the primary sends a worker to have it close as on SIGTERM */
export const SHUTDOWN_MESSAGE = 'process-manager:shutdown';

/** a worker that lived this long died of something else than its start: it is replaced at once */
const HEALTHY_LIFETIME_MS = 10_000;
/** a worker that dies soon after its start is replaced after a delay doubling from this, up to the maximum */
const FIRST_RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;

export interface ClusterSettings {
  workers: number;
  /** how long the workers' graceful close may take before they are killed */
  shutdownTimeoutMs: number;
}

export function superviseWorkers(settings: ClusterSettings, log: Logger): void {
  const forkedAt = new Map<Worker, number>();
  let stopping = false;
  let quickDeaths = 0;

  const fork = () => {
    if (stopping) return;
    const worker = cluster.fork();
    forkedAt.set(worker, Date.now());
    log.info({ worker: worker.id, pid: worker.process.pid }, 'worker started');
  };
  const alive = () => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (forkedAt.get(worker) ?? 0);
    forkedAt.delete(worker);
    if (stopping) {
      if (alive().length === 0) process.exit(0);
      return;
    }
    quickDeaths = lived >= HEALTHY_LIFETIME_MS ? 0 : quickDeaths + 1;
    const delay = quickDeaths === 0 ? 0 : Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** (quickDeaths - 1));
    log.error({ worker: worker.id, pid: worker.process.pid, code, signal, lived_ms: lived, restart_in_ms: delay }, 'worker died; starting another');
    setTimeout(fork, delay);
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: killing the workers');
      for (const worker of alive()) worker.process.kill('SIGKILL');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal, workers: alive().length }, 'closing the workers');
    if (alive().length === 0) process.exit(0);
    for (const worker of alive()) worker.send(SHUTDOWN_MESSAGE);
    setTimeout(() => {
      log.error('the workers did not close in time: killing them');
      for (const worker of alive()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, settings.shutdownTimeoutMs).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  log.info({ workers: settings.workers }, 'starting the workers');
  for (let i = 0; i < settings.workers; i++) fork();
}

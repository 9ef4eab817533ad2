// GET /health in the seed's shape. It answers while the engine starts too (503, status `starting`), so
// that an orchestrator can tell starting from broken.
import cluster from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import { OPEN_API } from '../../auth/authentication.js';
import { pingRedis } from '../../redis-ping.js';
import { serviceVersion } from '../../version.js';
import { healthSchema } from './schemas.js';

export interface HealthOptions {
  storage: 'postgresql' | 'pglite';
  redisUrl?: string;
  /** the API needs a bearer token: /health, open to probes, then shows no workload counts */
  authenticated: boolean;
  /** whether events go to an Event Manager: it is then a dependency shown, though none the service needs to work */
  eventManager?: boolean;
}

type Condition = 'healthy' | 'unhealthy' | 'unknown';

/** A dependency that does not answer within this time counts as down: /health must answer promptly. */
const CHECK_TIMEOUT_MS = 2000;

const withTimeout = <T>(work: Promise<T>, fallback: T): Promise<T> =>
  Promise.race([work, new Promise<T>((resolve) => setTimeout(resolve, CHECK_TIMEOUT_MS, fallback).unref())]);

export async function healthRoutes(app: FastifyInstance, options: HealthOptions): Promise<void> {
  app.get('/health', { schema: healthSchema }, async (request, reply) => {
    const engineStatus = app.engineStatus;
    const [counts, redis, sinks] = await Promise.all([
      engineStatus === 'ready'
        ? withTimeout(app.engine.health().catch((err: unknown) => {
          request.log.warn({ err }, 'health: the engine could not reach its database');
          return undefined;
        }), undefined)
        : undefined,
      options.redisUrl ? withTimeout(pingRedis(options.redisUrl, CHECK_TIMEOUT_MS), false) : undefined,
      engineStatus === 'ready' ? withTimeout(app.engine.eventSinks().catch(() => undefined), undefined) : undefined,
    ]);
    // a sink that is down keeps its backlog in the database: the service goes on, so it never makes /health fail
    const eventManager: Condition | undefined = !options.eventManager ? undefined : sinks?.event_manager?.status ?? 'unknown';

    const database: Condition = engineStatus !== 'ready' ? 'unknown' : counts?.database ?? 'unhealthy';
    const redisCondition: Condition | undefined = redis === undefined ? undefined : redis ? 'healthy' : 'unhealthy';
    const engine = engineStatus === 'starting' ? 'starting' : engineStatus === 'ready' && database === 'healthy' ? 'healthy' : 'unhealthy';
    const healthy = engine === 'healthy' && redisCondition !== 'unhealthy';
    const status = healthy ? 'healthy' : engine === 'starting' ? 'starting' : 'unhealthy';
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();

    reply.code(healthy ? 200 : 503);
    return {
      status,
      timestamp: new Date().toISOString(),
      version: serviceVersion,
      engine: { type: 'embedded', storage: options.storage, status: engine },
      // with CLUSTER_WORKERS, which of the processes on the port answered
      process: { pid: process.pid, cluster_worker: cluster.worker?.id ?? null },
      dependencies: { database, ...(redisCondition ? { redis: redisCondition } : {}), ...(eventManager ? { event_manager: eventManager } : {}) },
      ...(sinks ? { events: sinks } : {}),
      performance: {
        ...(options.authenticated ? {} : {
          active_instances: counts?.active_instances ?? null,
          pending_tasks: counts?.pending_tasks ?? null,
          open_incidents: counts?.open_incidents ?? null,
        }),
        cpu_usage: { user: cpu.user, system: cpu.system },
        memory_usage: {
          rss: memory.rss, heap_total: memory.heapTotal, heap_used: memory.heapUsed,
          external: memory.external, array_buffers: memory.arrayBuffers,
        },
      },
      auth: options.authenticated ? { mode: 'jwt' } : { mode: 'none', message: OPEN_API },
      ...(healthy ? {} : {
        error: {
          code: 'UNAVAILABLE',
          message: status === 'starting' ? 'The service is starting' : 'A dependency of the service is down',
        },
      }),
    };
  });
}

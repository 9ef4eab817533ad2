import { int, str, time } from '../shared-schemas.js';

const dependency = { enum: ['healthy', 'unhealthy', 'unknown'] } as const;
const countOrNull = { type: ['integer', 'null'], description: 'null while the engine cannot be asked; left out when authentication is on' } as const;

export const healthSchema = {
  tags: ['service'],
  summary: 'Health of the service and its dependencies',
  // open to probes whether or not the API needs a token
  security: [],
  description: '200 when the service can work, else 503 (with `error`): 503 only while the engine starts, its database does not '
    + 'answer, or Redis, the job queue when REDIS_URL is set, does not. An event sink that is down (the Event Manager, the Redis '
    + 'stream) keeps its backlog in the database: it shows in `events` and `dependencies`, never as a 503.',
  response: {
    ...Object.fromEntries([200, 503].map((status) => [status, {
      description: status === 200 ? 'healthy' : 'starting, or a dependency is down',
      type: 'object',
      required: ['status', 'timestamp', 'version', 'engine', 'process', 'dependencies', 'performance', 'auth'],
      properties: {
        status: { enum: ['healthy', 'starting', 'unhealthy'] },
        timestamp: time,
        version: str,
        engine: {
          type: 'object',
          properties: { type: { const: 'embedded' }, storage: { enum: ['postgresql', 'pglite'] }, status: { enum: ['healthy', 'starting', 'unhealthy'] } },
        },
        process: {
          type: 'object',
          description: 'the server process that answered: one of CLUSTER_WORKERS when that is above 1',
          required: ['pid', 'cluster_worker'],
          properties: {
            pid: int,
            cluster_worker: { type: ['integer', 'null'], description: "the worker's number, a new one for a worker started again; null outside a cluster" },
          },
        },
        dependencies: {
          type: 'object',
          required: ['database'],
          properties: {
            database: dependency, redis: { ...dependency, description: 'present when REDIS_URL is set' },
            event_manager: { ...dependency, description: 'present when EVENT_MANAGER_URL is set; never makes the answer a 503' },
          },
        },
        events: {
          type: 'object',
          description: 'per event sink (`redis`, `event_manager`): whether its last delivery succeeded, and the events it has not received yet',
          additionalProperties: {
            type: 'object', required: ['status', 'waiting'],
            properties: { status: { enum: ['healthy', 'unhealthy'] }, waiting: int },
          },
        },
        performance: {
          type: 'object',
          properties: {
            active_instances: countOrNull, pending_tasks: countOrNull, open_incidents: countOrNull,
            cpu_usage: { type: 'object', description: 'process CPU time, microseconds', properties: { user: int, system: int } },
            memory_usage: {
              type: 'object', description: 'bytes',
              properties: { rss: int, heap_total: int, heap_used: int, external: int, array_buffers: int },
            },
          },
        },
        auth: {
          type: 'object',
          properties: { mode: { enum: ['none', 'jwt'], description: 'jwt: every API call needs a bearer token' }, message: str },
        },
        error: { type: 'object', required: ['code', 'message'], properties: { code: { const: 'UNAVAILABLE' }, message: str } },
      },
    }])),
  },
};

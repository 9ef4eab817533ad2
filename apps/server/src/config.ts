// The service's settings, read from the environment in one place. Every problem is collected and
// reported at once, so a misconfigured deployment fails at start with a message naming each variable.
import { resolve } from 'node:path';
import type { EngineOptions, HistoryLevel, JobExecutorOptions } from '@dadms/process-engine';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];
const HISTORY_LEVELS: readonly HistoryLevel[] = ['none', 'activity', 'audit', 'full'];

const MiB = 1024 * 1024;
const HOUR_MS = 3_600_000;
/** a Redis key prefix: no spaces nor control characters; braces make a Redis Cluster hash tag */
const QUEUE_PREFIX = /^[A-Za-z0-9_.:{}-]{1,100}$/;
/** the key of the event stream in Redis */
const REDIS_KEY = /^[A-Za-z0-9_.:{}-]{1,200}$/;

export interface Config {
  port: number;
  host: string;
  nodeEnv: string;
  logLevel: LogLevel;
  /** No authentication exists yet: the API is open, and says so in its log and /health. */
  auth: { mode: 'none' };
  storage: {
    /** PostgreSQL; when absent the embedded PGlite store in `pgliteDir` is used */
    databaseUrl?: string;
    poolSize?: number;
    dataDir: string;
    pgliteDir: string;
  };
  /** also dispatches the engine's jobs through BullMQ, so several service processes share them */
  redisUrl?: string;
  historyLevel: HistoryLevel;
  /** engine defaults where absent */
  groupCommit: NonNullable<EngineOptions['groupCommit']>;
  /** engine defaults where absent */
  jobs: Pick<JobExecutorOptions, 'concurrency' | 'sweepIntervalMs' | 'lockDurationMs' | 'retryBackoffMs' | 'queuePrefix'>;
  /** the event relay: Redis stream (with REDIS_URL), Event Manager, retention, performance events */
  events: {
    eventManagerUrl?: string;
    streamKey?: string;
    streamMaxLength?: number;
    retentionHours?: number;
    performanceMonitoring: boolean;
  };
  limits: {
    /** any request body but a deployment, bytes */
    bodyBytes: number;
    /** a deployment body (JSON, XML or multipart), bytes */
    deployBodyBytes: number;
    /** JSON nested deeper than this is refused before it is parsed */
    jsonDepth: number;
    maxStepsPerCommand?: number;
  };
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const integer = (name: string, fallback: number | undefined, min: number, max: number): number | undefined => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
      return fallback;
    }
    return n;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')}, got '${raw}'`);
      return fallback;
    }
    return raw as T;
  };
  const flag = (name: string, fallback = false): boolean => {
    const raw = read(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['false', '0', 'no'].includes(raw)) return false;
    if (['true', '1', 'yes'].includes(raw)) return true;
    problems.push(`${name} must be true or false, got '${raw}'`);
    return false;
  };
  const matching = (name: string, pattern: RegExp, rule: string): string | undefined => {
    const raw = read(name);
    if (raw === undefined || pattern.test(raw)) return raw;
    problems.push(`${name} must be ${rule}, got '${raw}'`);
    return undefined;
  };
  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = read(name);
    if (raw === undefined) return undefined;
    let protocol: string | undefined;
    try {
      protocol = new URL(raw).protocol;
    } catch {
      protocol = undefined;
    }
    // The value may hold a password: name the variable, never echo it.
    if (!protocol || !protocols.includes(protocol)) problems.push(`${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
    return raw;
  };

  const nodeEnv = read('NODE_ENV') ?? 'development';
  const authDisabled = flag('AUTH_DISABLED');
  if (nodeEnv === 'production' && !authDisabled) {
    problems.push('NODE_ENV=production needs authentication, and none is configured: set AUTH_DISABLED=true to run the API open on purpose');
  }
  const dataDir = resolve(read('DATA_DIR') ?? './data');

  const config: Config = {
    port: integer('PORT', 3007, 0, 65535)!,
    host: read('HOST') ?? '0.0.0.0',
    nodeEnv,
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    auth: { mode: 'none' },
    storage: {
      databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:']),
      poolSize: integer('DATABASE_POOL_SIZE', undefined, 1, 1000),
      dataDir,
      pgliteDir: resolve(dataDir, 'pglite'),
    },
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    historyLevel: oneOf('HISTORY_LEVEL', HISTORY_LEVELS, 'full'),
    groupCommit: {
      lanes: integer('GROUP_COMMIT_LANES', undefined, 1, 1000),
      // 1: every command in a transaction of its own
      maxBatch: integer('GROUP_COMMIT_MAX_BATCH', undefined, 1, 1000),
    },
    jobs: {
      concurrency: integer('JOB_CONCURRENCY', undefined, 1, 1000),
      sweepIntervalMs: integer('JOB_SWEEP_INTERVAL_MS', undefined, 10, HOUR_MS),
      // how long a service call holds its job: a worker killed mid-call delays its retry by this much
      lockDurationMs: integer('JOB_LOCK_DURATION_MS', undefined, 1000, 24 * HOUR_MS),
      // the engine caps the doubling backoff at an hour, so a longer base would mean nothing
      retryBackoffMs: integer('JOB_RETRY_BACKOFF_MS', undefined, 0, HOUR_MS),
      // services sharing one Redis keep their queues apart by prefix
      queuePrefix: matching('JOB_QUEUE_PREFIX', QUEUE_PREFIX, 'up to 100 letters, digits or _ . : { } -'),
    },
    events: {
      eventManagerUrl: url('EVENT_MANAGER_URL', ['http:', 'https:']),
      streamKey: matching('EVENT_STREAM_KEY', REDIS_KEY, 'up to 200 letters, digits or _ . : { } -'),
      streamMaxLength: integer('EVENT_STREAM_MAXLEN', undefined, 1, 1_000_000_000),
      retentionHours: integer('EVENT_RETENTION_HOURS', undefined, 0, 24 * 365 * 10),
      performanceMonitoring: flag('PERFORMANCE_MONITORING', true),
    },
    limits: {
      bodyBytes: integer('BODY_LIMIT', 1 * MiB, 1024, 1024 * MiB)!,
      deployBodyBytes: integer('DEPLOY_BODY_LIMIT', 5 * MiB, 1024, 1024 * MiB)!,
      jsonDepth: integer('JSON_MAX_DEPTH', 64, 1, 10_000)!,
      maxStepsPerCommand: integer('MAX_STEPS_PER_COMMAND', undefined, 1, 10_000_000),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

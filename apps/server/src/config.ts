// The service's settings, read from the environment in one place. Every problem is collected and
// reported at once, so a misconfigured deployment fails at start with a message naming each variable.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { resolve } from 'node:path';
import {
  parseAllowedUrl, parseEncryptionKeys, parseProtectedNames, type EngineOptions, type HistoryLevel, type JobExecutorOptions,
} from '@dadms/process-engine';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];
const HISTORY_LEVELS: readonly HistoryLevel[] = ['none', 'activity', 'audit', 'full'];

const MiB = 1024 * 1024;
const HOUR_MS = 3_600_000;
/** a Redis key prefix: no spaces nor control characters; braces make a Redis Cluster hash tag */
const QUEUE_PREFIX = /^[A-Za-z0-9_.:{}-]{1,100}$/;
/** the DADMS services a model's HTTP connector may call when CONNECTOR_ALLOWED_URLS is unset (those configured) */
const DADMS_SERVICE_URLS = ['LLM_SERVICE_URL', 'CONTEXT_MANAGER_URL', 'BPMN_WORKSPACE_URL', 'EVENT_MANAGER_URL'] as const;
/** the key of the event stream in Redis */
const REDIS_KEY = /^[A-Za-z0-9_.:{}-]{1,200}$/;

export interface Config {
  port: number;
  host: string;
  /** server processes on the port: above 1, a primary forks that many workers (cluster.ts) */
  clusterWorkers: number;
  nodeEnv: string;
  logLevel: LogLevel;
  /** none: the API is open, and says so in its log and /health; jwt: every API call needs a bearer token */
  auth: AuthConfig;
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
  /** protected variables, stored encrypted under the first key; absent without VARIABLE_ENCRYPTION_KEYS */
  variableProtection?: NonNullable<EngineOptions['variableProtection']>;
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
  /** how long ended instances are kept, and how often the expired ones are removed */
  retention: NonNullable<EngineOptions['retention']>;
  /** URL prefixes the HTTP connector may call; secrets come from the engine's default, SECRET_<NAME> */
  connector: { allowedUrls: string[] };
}

/** The key tokens are verified with: one of AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY, AUTH_JWKS_URL. */
export type TokenKey =
  | { kind: 'secret'; secret: Uint8Array }
  | { kind: 'public-key'; key: KeyObject }
  | { kind: 'jwks'; url: string };

export type AuthConfig =
  | { mode: 'none' }
  | {
    mode: 'jwt';
    key: TokenKey;
    issuer?: string;
    audience?: string;
    /** the claims holding groups, roles and tenant ids */
    claims: { groups: string; roles: string; tenants: string };
  };

/** each worker holds a database pool of its own: more than this would only share the same cores */
const MAX_CLUSTER_WORKERS = 64;

/** jose takes a shorter HMAC secret; one this short can be guessed offline from any token. */
const MIN_SECRET_BYTES = 32;

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

  /** the keys are secrets: problems name the variable and a key's id, never a key */
  const variableProtection = (): Config['variableProtection'] => {
    const keys = read('VARIABLE_ENCRYPTION_KEYS');
    const protectedVariables = parseProtectedNames(read('PROTECTED_VARIABLES') ?? '');
    if (keys === undefined) {
      if (protectedVariables.length) problems.push('PROTECTED_VARIABLES needs VARIABLE_ENCRYPTION_KEYS to encrypt them with');
      return undefined;
    }
    const parsed = parseEncryptionKeys(keys);
    problems.push(...parsed.problems.map((problem) => `VARIABLE_ENCRYPTION_KEYS: ${problem}`));
    return parsed.problems.length ? undefined : { keys: parsed.keys, protectedVariables };
  };

  const nodeEnv = read('NODE_ENV') ?? 'development';
  const authDisabled = flag('AUTH_DISABLED');
  const tokenKey = (): TokenKey | undefined => {
    const given = (['AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY', 'AUTH_JWKS_URL'] as const).filter((name) => read(name) !== undefined);
    if (given.length > 1) problems.push(`Set only one of ${given.join(', ')}: each names the key tokens are verified with`);
    const secret = read('AUTH_JWT_SECRET');
    if (secret !== undefined) {
      const bytes = new TextEncoder().encode(secret);
      if (bytes.length < MIN_SECRET_BYTES) problems.push(`AUTH_JWT_SECRET must be at least ${MIN_SECRET_BYTES} bytes long`);
      return { kind: 'secret', secret: bytes };
    }
    const pem = read('AUTH_JWT_PUBLIC_KEY');
    if (pem !== undefined) {
      try {
        // an environment file often holds a PEM on one line, its line breaks written as \n
        return { kind: 'public-key', key: createPublicKey(pem.replace(/\\n/g, '\n')) };
      } catch {
        problems.push('AUTH_JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY----- …)');
        return undefined;
      }
    }
    const jwksUrl = url('AUTH_JWKS_URL', ['https:', 'http:']);
    return jwksUrl === undefined ? undefined : { kind: 'jwks', url: jwksUrl };
  };
  const authConfig = (): AuthConfig => {
    const key = tokenKey();
    if (key && authDisabled) problems.push('AUTH_DISABLED=true contradicts the token key that is set: remove one of them');
    if (!key) {
      if (nodeEnv === 'production' && !authDisabled) {
        problems.push('NODE_ENV=production needs authentication, and none is configured: set AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY or AUTH_JWKS_URL, or AUTH_DISABLED=true to run the API open on purpose');
      }
      return { mode: 'none' };
    }
    return {
      mode: 'jwt',
      key,
      issuer: read('AUTH_ISSUER'),
      audience: read('AUTH_AUDIENCE'),
      claims: {
        groups: read('AUTH_CLAIM_GROUPS') ?? 'groups',
        roles: read('AUTH_CLAIM_ROLES') ?? 'roles',
        tenants: read('AUTH_CLAIM_TENANTS') ?? 'tenant_ids',
      },
    };
  };
  const dataDir = resolve(read('DATA_DIR') ?? './data');

  const config: Config = {
    port: integer('PORT', 3007, 0, 65535)!,
    host: read('HOST') ?? '0.0.0.0',
    clusterWorkers: integer('CLUSTER_WORKERS', 1, 1, MAX_CLUSTER_WORKERS)!,
    nodeEnv,
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    auth: authConfig(),
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
    variableProtection: variableProtection(),
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
    retention: {
      // unset: ended instances are kept for ever, unless their process names camunda:historyTimeToLive
      historyTimeToLiveDays: integer('HISTORY_TTL_DAYS', undefined, 0, 1_000_000),
      cleanupIntervalMs: integer('HISTORY_CLEANUP_INTERVAL_MS', undefined, 0, 24 * HOUR_MS),
      cleanupBatchSize: integer('HISTORY_CLEANUP_BATCH_SIZE', undefined, 1, 10_000),
    },
    connector: { allowedUrls: connectorAllowedUrls(read, problems) },
  };
  if (config.clusterWorkers > 1 && !config.storage.databaseUrl) {
    problems.push(`CLUSTER_WORKERS=${config.clusterWorkers} needs DATABASE_URL: the embedded store (PGlite) is opened by one process `
      + 'only, so several server processes cannot share it');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * CONNECTOR_ALLOWED_URLS (a comma list) when set, else the DADMS service URLs that are configured;
 * with neither, the connector calls nothing.
 */
function connectorAllowedUrls(read: (name: string) => string | undefined, problems: string[]): string[] {
  const listed = read('CONNECTOR_ALLOWED_URLS');
  const entries = listed !== undefined
    ? listed.split(',').map((entry) => [entry.trim(), 'CONNECTOR_ALLOWED_URLS'] as const).filter(([entry]) => entry !== '')
    : DADMS_SERVICE_URLS.flatMap((name) => {
      const url = read(name);
      return url === undefined ? [] : [[url, name] as const];
    });
  return entries.flatMap(([entry, name]) => {
    try {
      parseAllowedUrl(entry);
      return [entry];
    } catch {
      // the value may hold a password: name the variable, never echo it
      problems.push(`${name} must be http or https URL prefixes without credentials, query or fragment (or https:// for any public host)`);
      return [];
    }
  });
}

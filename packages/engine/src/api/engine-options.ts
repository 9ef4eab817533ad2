// What createEngine takes: storage, history, jobs, retention, the HTTP connector, events, protection,
// instrumentation.
import type { EventOptions } from './events.js';
import type { EngineObserver } from './observer.js';
import type { VariableProtectionOptions } from '../protection/variable-protection.js';

export interface JobExecutorOptions {
  /** false: this engine writes jobs but runs none (a process that only serves the API) */
  run?: boolean;
  /** jobs run at once by this process (default 50 on PostgreSQL, 4 on PGlite) */
  concurrency?: number;
  /** ms between sweeps for due jobs nobody has dispatched or whose lock expired (default 1,000) */
  sweepIntervalMs?: number;
  /** ms a job stays locked while it runs (default 60,000) */
  lockDurationMs?: number;
  /** ms before the first retry of a failed job without a retry cycle; doubles each time (default 10,000) */
  retryBackoffMs?: number;
  /** BullMQ queue name prefix (default 'dadms') */
  queuePrefix?: string;
}

export type HistoryLevel = 'none' | 'activity' | 'audit' | 'full';

/**
 * How long ended instances are kept. A root instance's removal time is its end plus its process's
 * camunda:historyTimeToLive (days, or P<n>D), else plus `historyTimeToLiveDays`; without either it is
 * kept for ever. Called instances are removed with their root (Camunda 7's removal-time strategy
 * "end"). The removal time is fixed when the instance ends: changing the default later changes only
 * instances that end afterwards.
 */
export interface RetentionOptions {
  /** days, for processes without camunda:historyTimeToLive; absent: kept for ever */
  historyTimeToLiveDays?: number;
  /** ms between cleanups of this engine (default 60,000); 0: none (removeExpiredHistory still works) */
  cleanupIntervalMs?: number;
  /** root instances removed per transaction (default 100) */
  cleanupBatchSize?: number;
}

/**
 * The built-in HTTP connector's rules. A URL is called only when an entry of `allowedUrls` covers it:
 * an entry `https://api.example.com/v1` covers that scheme, host and port and the paths under /v1; an
 * entry naming a host may reach whatever address the host resolves to. An entry of a scheme alone
 * (`https://`) covers every host of it at public addresses only: loopback, link-local, private and
 * other non-public addresses (IPv6 and IPv4-mapped IPv6 ones too) are refused after DNS resolution, and
 * the connection goes to the addresses checked. Redirects are not followed: a 3xx answer is the result.
 * `{{secrets.NAME}}` in a connector's URL, headers or body is replaced by `secret(NAME)` only for the
 * call; the job, history, incidents and logs hold the placeholder, and a secret's value in the answer
 * or in an error becomes its placeholder again. Only secrets the model names in the connector's text
 * are put in, not one a variable's value brings in. A call refused, or naming a secret without a value,
 * is a failed attempt whose error says why (naming the secret, never its value).
 */
export interface HttpConnectorOptions {
  /** URL prefixes the connector may call (default none: every call is refused) */
  allowedUrls?: readonly string[];
  /** the value of `{{secrets.NAME}}` (default: the environment variable SECRET_NAME, read at call time) */
  secret?: (name: string) => string | undefined;
  /** a host's addresses (default: the system's DNS lookup); lets tests give names addresses of their own */
  resolveHost?: (hostname: string) => Promise<readonly { address: string; family: number }[]>;
}

export interface EngineOptions {
  /** PostgreSQL connection string; when absent the embedded PGlite store is used */
  databaseUrl?: string;
  /** PGlite data directory; when absent too, an in-memory PGlite (tests) */
  dataDir?: string;
  /** PostgreSQL pool size (default 10) */
  poolSize?: number;
  /**
   * PGlite only, which runs no autovacuum: ms between checks for tables that autovacuum would now vacuum or
   * analyse, done then between commands (default 60,000); 0: never (the store's deleted and updated rows then
   * keep their space)
   */
  vacuumIntervalMs?: number;
  /**
   * PGlite only, which no other process writes: how many instances' runtime rows are kept in memory as the
   * last command left them, so that the next command on one of them reads nothing (default 1,000); 0: none.
   * Not with variableProtection, whose opened values stay in memory only for the command that opened them.
   */
  instanceCache?: number;
  /** default 'full' */
  historyLevel?: HistoryLevel;
  /** a command that enters more elements than this without waiting stops with a failedInstruction incident */
  maxStepsPerCommand?: number;
  /** bytes; a bigger deployment is refused with PAYLOAD_TOO_LARGE (default 5 MiB) */
  maxBpmnBytes?: number;
  /**
   * Redis for dispatching jobs through BullMQ (several processes share the work); when absent, jobs
   * are dispatched in this process
   */
  redisUrl?: string;
  jobs?: JobExecutorOptions;
  retention?: RetentionOptions;
  httpConnector?: HttpConnectorOptions;
  events?: EventOptions;
  /**
   * Group commit: commands that queue while `lanes` transactions are open run together, up to `maxBatch`
   * in one transaction, each still all or nothing. While one is open, another opens only once `gather`
   * commands wait or the first has waited `gatherMs`. PostgreSQL: 2 lanes of up to 32, gathering 4 or 5 ms;
   * PGlite: 1 lane of up to 8
   */
  groupCommit?: { lanes?: number; maxBatch?: number; gather?: number; gatherMs?: number };
  /**
   * ms close() waits for the work under way (handlers, jobs, the commands they run) before it gives up
   * on it (default 4,000). Nothing given up on is recorded: its task or job runs again once its lock
   * expires.
   */
  closeTimeoutMs?: number;
  /**
   * Variables whose names match `protectedVariables` are stored AES-256-GCM encrypted under the first of
   * `keys` in every table that holds values (variables, audit, job payloads, kept idempotent answers);
   * every key decrypts, and values under older keys are encrypted again under the first in the
   * background. The API answers them decrypted; events carry `***` in their place. Off when absent.
   */
  variableProtection?: VariableProtectionOptions;
  /**
   * Hears what the engine does, for metrics: commands and their durations, transactions, committed
   * events, job runs. Its hooks are called on the engine's path, so they must be quick and must not throw.
   */
  observer?: EngineObserver;
    /** injectable clock for tests */
  now?: () => Date;
  logger?: { info(obj: unknown, msg?: string): void; warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };
}

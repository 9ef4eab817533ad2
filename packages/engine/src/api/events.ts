// The published form of the engine's events, how to read them, and the relay's settings.

/** what a variable's value looks like in a published event (e.g. `***` for a protected variable) */
export type MaskVariable = (name: string, value: unknown) => unknown;

/**
 * A published process_manager.* event: the seed's fields of its type, plus `id` (its position in
 * commit order, a decimal string), `timestamp`, `tenant_id` and, where there is one, `instance_id`.
 */
export interface PublishedEvent {
  id: string;
  type: string;
  timestamp: string;
  tenant_id: string | null;
  instance_id?: string;
  /** the W3C traceparent of the command that committed it, when that command was traced */
  traceparent?: string;
  [field: string]: unknown;
}

export interface EventQuery {
  /** the id of the last event already seen */
  after?: string;
  /** default 50, at most 1000 */
  limit?: number;
  types?: string[];
  process_instance_id?: string;
  process_definition_key?: string;
}

export interface EventSinkStatus {
  status: 'healthy' | 'unhealthy';
  /** events not yet delivered */
  waiting: number;
}

export interface EventOptions {
  /** false: this engine writes events but publishes none; another engine process on the database relays them (default true) */
  relay?: boolean;
  /** the Redis stream events are added to when `redisUrl` is set (default `process_manager:events`) */
  redisStreamKey?: string;
  /** the stream is trimmed near this length (default 1,000,000) */
  redisStreamMaxLength?: number;
  /** events are POSTed here as JSON arrays */
  eventManagerUrl?: string;
  /** hours delivered events are kept for replay (default 24) */
  retentionHours?: number;
  /** a process_manager.analytics.performance event as each activity instance ends (default true) */
  performanceEvents?: boolean;
  /** applied to every variable value an event carries (default: the value itself) */
  maskVariable?: MaskVariable;
  /** ms between polls for events no notification announced, and, while nobody is subscribed, for events to position (default 1,000) */
  pollIntervalMs?: number;
  /** ms a process may deliver to a sink without renewing its turn before another takes over (default 15,000) */
  sinkLeaseMs?: number;
}

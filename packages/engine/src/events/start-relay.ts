// The relay an engine runs, with the sinks its options name: the Redis stream beside the job queue's
// Redis, the Event Manager by URL.
import type { Kysely } from 'kysely';
import type { EventOptions } from '../api/engine.js';
import type { Database } from '../persistence/database.js';
import { importWithPeers } from '../util/peer-dependency.js';
import { withoutUndefined } from '../util/without-undefined.js';
import type { EventSink } from './event-sink.js';
import { OutboxRelay, type Listen } from './outbox-relay.js';
import { keepValue } from './published-event.js';
import { HttpEventSink } from './sinks/http-event-sink.js';

const HOUR_MS = 3_600_000;
export const EVENT_DEFAULTS = {
  redisStreamKey: 'process_manager:events', redisStreamMaxLength: 1_000_000, retentionHours: 24,
  pollIntervalMs: 1_000, sinkLeaseMs: 15_000,
} as const;

export interface RelayContext {
  db: Kysely<Database>;
  listen?: Listen;
  redisUrl?: string;
  owner: string;
  now(): Date;
  logError(error: unknown, message: string): void;
}

export async function startRelay(ctx: RelayContext, options: EventOptions = {}): Promise<OutboxRelay> {
  const settings = { ...EVENT_DEFAULTS, ...withoutUndefined(options) };
  const relay = settings.relay !== false;
  const sinks: EventSink[] = [];
  if (ctx.redisUrl && relay) {
    const { RedisStreamSink } = await importWithPeers(['ioredis'], () => import('./sinks/redis-stream-sink.js'));
    sinks.push(new RedisStreamSink({
      url: ctx.redisUrl, key: settings.redisStreamKey, maxLength: settings.redisStreamMaxLength,
      onError: (e) => ctx.logError(e, 'The Redis connection of the event stream failed'),
    }));
  }
  if (settings.eventManagerUrl && relay) sinks.push(new HttpEventSink(settings.eventManagerUrl));
  return OutboxRelay.start(ctx.db, {
    relay, sinks, owner: ctx.owner, mask: settings.maskVariable ?? keepValue, retentionMs: settings.retentionHours * HOUR_MS,
    pollIntervalMs: settings.pollIntervalMs, leaseMs: settings.sinkLeaseMs, listen: ctx.listen, now: ctx.now, logError: ctx.logError,
  });
}

// Events to a Redis stream: one XADD per event, with the fields id, type and data (the event as JSON)
// and, for an event of a traced command, traceparent; the stream trimmed near its maximum length.
// Without a connection, commands fail at once rather than queue, so that the relay backs off and its
// backlog stays in the database.
import { Redis } from 'ioredis';
import type { EventSink } from '../event-sink.js';
import type { PublishedEvent } from '../published-event.js';

export interface RedisStreamOptions {
  url: string;
  key: string;
  maxLength: number;
  onError(error: unknown): void;
}

export class RedisStreamSink implements EventSink {
  readonly name = 'redis';
  readonly batchSize = 500;
  readonly #redis: Redis;

  constructor(private readonly options: RedisStreamOptions) {
    this.#redis = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
    // ioredis reconnects by itself; a failed publish is what the relay acts on
    this.#redis.on('error', options.onError);
  }

  async publish(events: PublishedEvent[]): Promise<void> {
    const batch = this.#redis.pipeline();
    for (const event of events) {
      const traced = typeof event.traceparent === 'string' ? ['traceparent', event.traceparent] : [];
      batch.xadd(this.options.key, 'MAXLEN', '~', this.options.maxLength, '*', 'id', event.id, 'type', event.type, 'data', JSON.stringify(event), ...traced);
    }
    const results = await batch.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('Redis did not answer the XADDs');
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
  }
}

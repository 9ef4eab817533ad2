// A destination the relay delivers every event to, in order, at least once.
import type { PublishedEvent } from './published-event.js';

export interface EventSink {
  /** its row in outbox_sinks and its key in /health (`redis`, `event_manager`) */
  readonly name: string;
  /** events handed to one publish at most */
  readonly batchSize: number;
  /** resolves once the sink has taken every event; rejects when it took maybe none of them */
  publish(events: PublishedEvent[]): Promise<void>;
  close(): Promise<void>;
}

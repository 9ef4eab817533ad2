// Events POSTed to the Event Manager as a JSON array, in order, at most 100 a request. Any 2xx
// acknowledges the batch; anything else, or no answer in time, leaves it to be sent again.
import type { EventSink } from '../event-sink.js';
import type { PublishedEvent } from '../published-event.js';

/** shorter than the relay's lease, so that a hung request never outlives this process's turn */
const REQUEST_TIMEOUT_MS = 5_000;

export class HttpEventSink implements EventSink {
  readonly name = 'event_manager';
  readonly batchSize = 100;
  readonly #closing = new AbortController();

  constructor(private readonly url: string) {}

  async publish(events: PublishedEvent[]): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(events),
      signal: AbortSignal.any([this.#closing.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
    await response.body?.cancel();
    if (response.status < 200 || response.status > 299) throw new Error(`The Event Manager answered ${response.status}`);
  }

  async close(): Promise<void> {
    this.#closing.abort();
  }
}

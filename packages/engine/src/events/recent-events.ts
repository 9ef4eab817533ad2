// The events this process read last, published form and all, so that the sinks it delivers to and its
// subscribers read and decode each event once rather than once each. Positions in it run unbroken.
import type { PublishedEvent } from './published-event.js';

const KEPT = 10_000;

export class RecentEvents {
  #events: PublishedEvent[] = [];

  /** the next events in position order, read after the last ones kept */
  add(events: PublishedEvent[]): void {
    for (const event of events) {
      const last = this.#events.at(-1);
      // a gap (events deleted by retention before this process read them): only what follows it is kept
      if (last && Number(event.id) !== Number(last.id) + 1) this.#events = [];
      this.#events.push(event);
    }
    if (this.#events.length > KEPT) this.#events = this.#events.slice(-KEPT);
  }

  /** up to `limit` events after `after`, when those kept cover what follows it; else undefined */
  after(after: number, limit: number): PublishedEvent[] | undefined {
    const first = this.#events[0];
    if (!first || after + 1 < Number(first.id) || after >= Number(this.#events.at(-1)!.id)) return undefined;
    const start = after + 1 - Number(first.id);
    return this.#events.slice(start, start + limit);
  }
}

// One server-sent-event client: the kept events after its Last-Event-ID first (none when it starts from
// now), read page by page, then each event as the engine publishes it. What a client has not read yet stays in its socket's buffer, up
// to a limit: a client that reads more slowly than events come is disconnected rather than let the
// server's memory grow, and resumes where it was with Last-Event-ID.
import type { ServerResponse } from 'node:http';
import type { Engine, EventQuery, PublishedEvent } from '@dadms/process-engine';

export interface StreamLimits {
  /** ms between comment lines that keep idle connections open */
  heartbeatMs: number;
  /** bytes written but not yet taken by the client, at most */
  maxBufferedBytes: number;
}

export type EventFilter = Pick<EventQuery, 'types' | 'process_instance_id' | 'process_definition_key'>;

const PAGE = 1_000;

export class EventStream {
  /** the id of the last event written, or of the point the client resumes from */
  #last: number;
  /** events published while the kept ones are still being read: written after them */
  #held: PublishedEvent[] | undefined = [];
  readonly #heartbeat: NodeJS.Timeout;
  #closed = false;

  /** `after` is an event id, or `now`: the newest event when the stream opens */
  constructor(private readonly out: ServerResponse, private readonly filter: EventFilter, private readonly after: string | undefined, private readonly limits: StreamLimits) {
    this.#last = after === 'now' ? 0 : Number(after ?? 0);
    this.#heartbeat = setInterval(() => this.#write(': keep-alive\n\n'), limits.heartbeatMs);
    out.on('close', () => this.close());
  }

  /** writes the kept events after the client's last one, then those published meanwhile */
  async catchUp(engine: Engine): Promise<void> {
    // read after subscribing: what commits meanwhile is held, and what the newest id covers is not sent twice
    if (this.after === 'now') this.#last = Number(await engine.lastEventId());
    for (;;) {
      const page = await engine.listEvents({ ...this.filter, after: String(this.#last), limit: PAGE });
      for (const event of page.data) {
        this.#send(event);
        // kept events are read only as fast as the client takes them
        if (this.out.writableLength > this.limits.maxBufferedBytes) await this.#drained();
        if (this.#closed) return;
      }
      if (page.data.length < PAGE) break;
    }
    const held = this.#held ?? [];
    this.#held = undefined;
    this.published(held);
  }

  /** events as the engine publishes them */
  published(events: PublishedEvent[]): void {
    if (this.#held) {
      this.#held.push(...events);
      // the client has not even caught up: it will read these pages again when it resumes
      if (this.#held.length > PAGE * 10) this.#drop();
      return;
    }
    for (const event of events) if (this.#matches(event)) this.#send(event);
  }

  close(): void {
    this.#closed = true;
    this.#held = undefined;
    clearInterval(this.#heartbeat);
  }

  /** ends the stream: the server is closing */
  end(): void {
    this.close();
    this.out.end();
  }

  #matches(event: PublishedEvent): boolean {
    const { types, process_instance_id, process_definition_key } = this.filter;
    return Number(event.id) > this.#last
      && (!types?.length || types.includes(event.type))
      && (!process_instance_id || event.instance_id === process_instance_id)
      && (!process_definition_key || event.process_definition_key === process_definition_key);
  }

  #send(event: PublishedEvent): void {
    this.#last = Number(event.id);
    this.#write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  }

  /** a client that has not taken what it was sent when more comes is dropped */
  #write(text: string): void {
    if (this.#closed) return;
    if (this.out.writableLength > this.limits.maxBufferedBytes) this.#drop();
    else this.out.write(text);
  }

  #drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.out.off('drain', done);
        this.out.off('close', done);
        resolve();
      };
      this.out.on('drain', done);
      this.out.on('close', done);
    });
  }

  #drop(): void {
    this.close();
    this.out.destroy();
  }
}

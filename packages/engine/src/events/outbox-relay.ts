// The relay: after each commit, positions the committed outbox rows that have none (outbox-positions.ts: on
// the embedded store a command's events come with theirs), hands the new events to this process's
// subscribers (the server's event stream) and wakes each sink's delivery. Other engine processes on the same
// PostgreSQL database hear of new positions by NOTIFY; a short poll covers what no notification announced (a
// process that died between its commit and positioning its rows, a sink lease to take over) and PGlite, where
// one process holds the database anyway.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { SinkBacklog } from '../api/observer.js';
import type { Database } from '../persistence/database.js';
import { CoalescedRun } from './coalesced-run.js';
import type { EventSink } from './event-sink.js';
import { assignPositions, lastPosition, POSITIONS_CHANNEL, type Assigned } from './outbox-positions.js';
import { countEvents, readEvents, type EventFilter } from './outbox-reader.js';
import { deleteDeliveredEvents } from './outbox-retention.js';
import { toPublishedEvent, type MaskVariable, type PublishedEvent } from './published-event.js';
import { RecentEvents } from './recent-events.js';
import { SinkDelivery, type SinkStatus } from './sink-delivery.js';

/** subscribes to a channel's notifications; answers how to stop (PostgreSQL only) */
export type Listen = (channel: string, onNotify: (payload: string) => void) => Promise<() => Promise<void>>;

export interface RelaySettings {
  /** false: events are listed, but neither handed to subscribers nor delivered (another process relays them) */
  relay: boolean;
  sinks: EventSink[];
  /** names this engine process as the holder of a sink's lease */
  owner: string;
  mask: MaskVariable;
  /** ms delivered events are kept */
  retentionMs: number;
  /** ms between polls for what no notification announced */
  pollIntervalMs: number;
  /** ms a process delivers to a sink without renewing its lease before another may take over */
  leaseMs: number;
  listen?: Listen;
  now(): Date;
  logError(error: unknown, message: string): void;
}

export type EventListener = (events: PublishedEvent[]) => void;

export interface EventPage {
  data: PublishedEvent[];
  total: number;
  limit: number;
}

/** how many events a subscriber is handed at once at most, while catching up */
const FAN_OUT_BATCH = 1_000;
const RETENTION_INTERVAL_MS = 60_000;
/**
 * Under load, commits come faster than passes: a pass right after a pass would find a handful of events
 * and cost as much as one finding hundreds. A pass after an idle spell starts at once.
 */
const PASS_PAUSE_MS = 50;

export class OutboxRelay {
  readonly #subscribers = new Set<EventListener>();
  readonly #deliveries: SinkDelivery[];
  readonly #pass = new CoalescedRun(() => this.#relay(), PASS_PAUSE_MS);
  /** positions alone, given at each poll while there is nobody to publish to */
  readonly #positioning = new CoalescedRun(() => this.#assignAll().catch((e: unknown) => this.settings.logError(e, 'Positioning events failed')));
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #recent = new RecentEvents();
  /** the last position handed to this process's subscribers */
  #handedOut = 0;
  /** the last position this process gave */
  #lastAssigned = 0;
  #unlisten: (() => Promise<void>) | undefined;
  #closed = false;

  private constructor(private readonly db: Kysely<Database>, private readonly settings: RelaySettings) {
    // no further than the passes have handed out: a sink is woken by each pass and delivers what it brought, so
    // that under load it sends few large batches rather than chasing every commit
    const read = async (after: number, limit: number) => this.#recent.after(after, Math.min(limit, this.#handedOut - after))
      ?? (await readEvents(db, { after, upTo: this.#handedOut, limit })).map((row) => toPublishedEvent(row, settings.mask));
    this.#deliveries = settings.sinks.map((sink) => new SinkDelivery(db, sink, { ...settings, read }));
  }

  static async start(db: Kysely<Database>, settings: RelaySettings): Promise<OutboxRelay> {
    const relay = new OutboxRelay(db, settings);
    // subscribers hear of events committed from now on; earlier ones are read with `after`
    relay.#handedOut = await lastPosition(db);
    if (!settings.relay) {
      relay.#closed = true;
      return relay;
    }
    if (relay.#deliveries.length) await relay.#listen();
    relay.#every(settings.pollIntervalMs, () => relay.#poll());
    relay.#every(RETENTION_INTERVAL_MS, () => relay.#deleteOld());
    relay.wake();
    return relay;
  }

  /**
   * A command committed events, or another process positioned some. With no sink and no subscriber
   * there is nobody to publish to: events without a position are then given one at the next poll, or as
   * events are listed.
   */
  wake(): void {
    if (!this.#closed && this.#publishing()) this.#pass.trigger();
  }

  /**
   * A pass where there is somebody to publish to; else the positions alone, which listing and retention need.
   * Given only as events were listed or grew old, they piled up: a minute of load left 300,000 events to
   * position at once. At each poll they are a few batches, the same work spread over the minute.
   */
  #poll(): void {
    if (this.#closed) return;
    if (this.#publishing()) this.#pass.trigger();
    else this.#positioning.trigger();
  }

  #publishing(): boolean {
    return this.#deliveries.length > 0 || this.#subscribers.size > 0;
  }

  /**
   * hears every event positioned from now on, in order, until the returned function is called; the first
   * subscriber of an idle relay may also hear those positioned since it was last busy
   */
  subscribe(listener: EventListener): () => void {
    if (!this.#subscribers.size && !this.#deliveries.length) this.#handedOut = Math.max(this.#handedOut, this.#lastAssigned);
    this.#subscribers.add(listener);
    if (!this.#unlisten && !this.#closed) {
      this.#listen().catch((e: unknown) => this.settings.logError(e, 'Listening for events of other processes failed'));
    }
    return () => this.#subscribers.delete(listener);
  }

  /** the position of the newest event: that of every command committed before the call at least */
  async latest(): Promise<number> {
    await this.#assignAll();
    return lastPosition(this.db);
  }

  /** the kept events after `after`, oldest first: those of every command committed before the call among them */
  async list(query: EventFilter & { after?: number; limit: number }): Promise<EventPage> {
    await this.#assignAll();
    const [rows, total] = await Promise.all([readEvents(this.db, query), countEvents(this.db, query, query.after)]);
    return { data: rows.map((row) => toPublishedEvent(row, this.settings.mask)), total, limit: query.limit };
  }

  sinkStatus(): Promise<Record<string, SinkStatus>> {
    return this.#perSink((d, last) => d.status(last));
  }

  sinkBacklogs(): Promise<Record<string, SinkBacklog>> {
    const now = this.settings.now();
    return this.#perSink((d, last) => d.backlog(now, last));
  }

  /** each sink's figure, given the last position, read once for all of them */
  async #perSink<T>(read: (delivery: SinkDelivery, last: number) => Promise<T>): Promise<Record<string, T>> {
    if (!this.#deliveries.length) return {};
    const last = await lastPosition(this.db);
    return Object.fromEntries(await Promise.all(this.#deliveries.map(async (d) => [d.sink.name, await read(d, last)] as const)));
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    await Promise.all([this.#pass.idle(), this.#positioning.idle()]);
    await Promise.all(this.#deliveries.map((d) => d.close()));
    await this.#unlisten?.().catch((e: unknown) => this.settings.logError(e, 'Stopping to listen for events failed'));
    this.#subscribers.clear();
  }

  /**
   * hears of positions other processes give (PostgreSQL), from the first subscriber or sink on; once it
   * listens, a pass hands on what they positioned while it was not listening yet, which no notice will tell
   */
  async #listen(): Promise<void> {
    this.#unlisten ??= async () => {};
    this.#unlisten = await this.settings.listen?.(POSITIONS_CHANNEL, (payload) => {
      if (Number(payload) > this.#handedOut) this.wake();
    }) ?? this.#unlisten;
    this.wake();
  }

  #every(ms: number, run: () => void): void {
    const timer = setInterval(run, ms);
    timer.unref();
    this.#timers.push(timer);
  }

  async #relay(): Promise<void> {
    try {
      // a backlog (events of engines that do not relay, of a process that died) is positioned batch by batch
      for (let assigned = await this.#assign(); ; assigned = await this.#assign()) {
        const last = assigned?.last ?? await lastPosition(this.db);
        if (last > this.#handedOut) await this.#fanOut(last);
        for (const delivery of this.#deliveries) delivery.wake();
        if (!assigned?.full || this.#closed) return;
        await nextTurn();
      }
    } catch (e) {
      // the next commit or poll tries again
      this.settings.logError(e, 'Positioning events failed');
    }
  }

  /**
   * Positions every committed event, a batch at a time, with a turn of the event loop between batches: on
   * PGlite, whose statements hold the thread, a backlog positioned without one stopped every command for its
   * whole length (150 batches, 6 s, after a minute of 1,000 instances a second).
   */
  async #assignAll(): Promise<void> {
    while ((await this.#assign())?.full) await nextTurn();
  }

  /** other processes hear of the positions by notification, where there is a channel to them */
  async #assign(): Promise<Assigned | undefined> {
    const assigned = await assignPositions(this.db, this.settings.listen !== undefined);
    if (assigned) this.#lastAssigned = Math.max(this.#lastAssigned, assigned.last);
    return assigned;
  }

  /** reads the new events once, for the subscribers and the sinks' deliveries alike (recent-events.ts) */
  async #fanOut(last: number): Promise<void> {
    while (this.#handedOut < last) {
      const rows = await readEvents(this.db, { after: this.#handedOut, upTo: last, limit: FAN_OUT_BATCH });
      if (!rows.length) {
        // deleted by retention meanwhile
        this.#handedOut = last;
        return;
      }
      this.#handedOut = rows.at(-1)!.position;
      const events = rows.map((row) => toPublishedEvent(row, this.settings.mask));
      this.#recent.add(events);
      for (const listener of this.#subscribers) {
        try {
          listener(events);
        } catch (e) {
          this.settings.logError(e, 'An event subscriber failed');
        }
      }
    }
  }

  async #deleteOld(): Promise<void> {
    try {
      // unpositioned events could never be deleted: those committed since the last poll are positioned first
      await this.#assignAll();
      await deleteDeliveredEvents(this.db, new Date(this.settings.now().getTime() - this.settings.retentionMs));
    } catch (e) {
      this.settings.logError(e, 'Deleting delivered events failed');
    }
  }
}

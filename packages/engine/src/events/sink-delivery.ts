// Delivers the positioned events to one sink, in order, from the position the sink acknowledged last.
// Of all engine processes on one database, the one holding the sink's lease (its outbox_sinks row)
// delivers; a process that dies holding it leaves it to the others once the lease runs out, and one that
// merely stalls past it may send a batch twice, never skip one. A sink that fails is retried with a
// growing backoff, alone: the other sinks go on.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../persistence/database.js';
import { CoalescedRun } from './coalesced-run.js';
import type { EventSink } from './event-sink.js';
import type { SinkBacklog } from '../api/observer.js';
import type { PublishedEvent } from './published-event.js';

export interface DeliverySettings {
  /** names this engine process as a lease holder */
  owner: string;
  /** ms a lease lasts without being renewed */
  leaseMs: number;
  /** up to `limit` published events after a position, oldest first */
  read(after: number, limit: number): Promise<PublishedEvent[]>;
  logError(error: unknown, message: string): void;
}

export interface SinkStatus {
  status: 'healthy' | 'unhealthy';
  /** events not yet delivered to the sink */
  waiting: number;
}

const FIRST_RETRY_MS = 200;
const LONGEST_RETRY_MS = 30_000;

export class SinkDelivery {
  readonly #run = new CoalescedRun(() => this.#drain());
  #retry: NodeJS.Timeout | undefined;
  #failures = 0;
  #closed = false;
  /** while this process holds the lease with time to spare: the sink's position, so no claim is needed */
  #held: { position: number; renewBy: number } | undefined;

  constructor(private readonly db: Kysely<Database>, readonly sink: EventSink, private readonly settings: DeliverySettings) {}

  /** there may be events to deliver; while the sink backs off, its retry comes first */
  wake(): void {
    if (!this.#closed && !this.#retry) this.#run.trigger();
  }

  /** `last`: the last position given */
  async status(last: number): Promise<SinkStatus> {
    const acknowledged = await this.#acknowledged();
    return { status: this.#failures ? 'unhealthy' : 'healthy', waiting: Math.max(0, last - acknowledged) };
  }

  /**
   * the events up to the last position given, `last`, that the sink has not acknowledged, and how long the
   * oldest of them has waited
   */
  async backlog(now: Date, last: number): Promise<SinkBacklog> {
    const acknowledged = await this.#acknowledged();
    const waiting = Math.max(0, last - acknowledged);
    if (!waiting) return { waiting, lag_seconds: 0 };
    const oldest = await this.db.selectFrom('outbox').select('created_at').where('position', '=', acknowledged + 1).executeTakeFirst();
    // deleted by retention meanwhile: the sink is that far behind at least
    const since = oldest ? new Date(oldest.created_at).getTime() : now.getTime();
    return { waiting, lag_seconds: Math.max(0, now.getTime() - since) / 1000 };
  }

  async #acknowledged(): Promise<number> {
    const row = await this.db.selectFrom('outbox_sinks').select('position').where('sink', '=', this.sink.name).executeTakeFirst();
    return Number(row?.position ?? 0);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    // a publish under way is cut short: what it sent is sent again by whoever delivers next
    await this.sink.close();
    await this.#run.idle();
    // the next process need not wait for the lease to run out
    await sql`update outbox_sinks set lease_until = null where sink = ${this.sink.name} and holder = ${this.settings.owner}`
      .execute(this.db).catch((e: unknown) => this.settings.logError(e, `Releasing the ${this.sink.name} event sink failed`));
  }

  async #drain(): Promise<void> {
    try {
      for (let cursor = await this.#position(); cursor !== undefined && !this.#closed;) {
        const events = await this.settings.read(cursor, this.sink.batchSize);
        if (!events.length) return;
        await this.sink.publish(events);
        this.#failures = 0;
        cursor = await this.#advance(Number(events.at(-1)!.id));
      }
    } catch (e) {
      this.#held = undefined;
      if (this.#closed) return;
      this.#failures += 1;
      const delay = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.#failures - 1));
      this.settings.logError(e, `Delivering events to ${this.sink.name} failed; retrying in ${delay} ms`);
      this.#retry = setTimeout(() => {
        this.#retry = undefined;
        this.wake();
      }, delay);
      this.#retry.unref();
    }
  }

  /** the sink's acknowledged position while this process holds the lease, or undefined while another one does */
  async #position(): Promise<number | undefined> {
    if (this.#held && Date.now() < this.#held.renewBy) return this.#held.position;
    return this.#claim();
  }

  /** takes or renews the lease: the sink's acknowledged position, or undefined while another process holds it */
  async #claim(): Promise<number | undefined> {
    const { owner, leaseMs } = this.settings;
    const result = await sql<{ position: string | number }>`
      insert into outbox_sinks (sink, position, holder, lease_until, updated_at)
      values (${this.sink.name}, 0, ${owner}, now() + ${leaseMs}::int * interval '1 millisecond', now())
      on conflict (sink) do update set holder = excluded.holder, lease_until = excluded.lease_until, updated_at = now()
      where outbox_sinks.holder = excluded.holder or outbox_sinks.lease_until is null or outbox_sinks.lease_until < now()
      returning position`.execute(this.db);
    const row = result.rows[0];
    return row ? this.#hold(Number(row.position)) : this.#hold(undefined);
  }

  /** records the sink's acknowledgement, renewing the lease; undefined when the lease was lost meanwhile */
  async #advance(position: number): Promise<number | undefined> {
    const result = await sql`
      update outbox_sinks set position = ${position}, lease_until = now() + ${this.settings.leaseMs}::int * interval '1 millisecond', updated_at = now()
      where sink = ${this.sink.name} and holder = ${this.settings.owner}`.execute(this.db);
    return this.#hold(Number(result.numAffectedRows ?? 0) ? position : undefined);
  }

  /** a lease taken or renewed now is renewed again once half of it has passed, in case of clock drift between processes */
  #hold(position: number | undefined): number | undefined {
    this.#held = position === undefined ? undefined : { position, renewBy: Date.now() + this.settings.leaseMs / 2 };
    return position;
  }
}

// The embedded dispatcher: no Redis, nothing survives a restart (the sweeper finds the rows again).
// Pending jobs sit in one min-heap by due time with a single timer armed for the earliest, so ten
// thousand waiting timers cost memory, not ten thousand Node timers.
import { settlesBefore } from './closing.js';
import type { DispatchedJob, JobDispatcher, JobRef, JobRunner } from './job-dispatcher.js';

export interface InProcessDispatcherOptions {
  /** the clock due times are compared with; defaults to the system clock */
  now?: () => Date;
}

/** Node fires a longer setTimeout after 1 ms; a far timer is clamped, wakes early and re-arms */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

interface Entry {
  job: JobRef;
  due: number;
  /** dispatch order: jobs due at the same time run first come, first served */
  seq: number;
}

export class InProcessDispatcher implements JobDispatcher {
  readonly #now: () => number;
  readonly #heap = new EntryHeap();
  /** the one live entry of each id; heap entries that are not here were replaced and are skipped */
  readonly #pending = new Map<string, Entry>();
  /** due entries whose id was still running; they go back to the heap when that run ends */
  readonly #parked = new Map<string, Entry>();
  readonly #running = new Map<string, Promise<void>>();
  #seq = 0;
  #run: JobRunner | undefined;
  #concurrency = 1;
  #closed = false;
  #alarm: NodeJS.Timeout | undefined;
  #alarmAt = 0;

  constructor(options: InProcessDispatcherOptions = {}) {
    const now = options.now;
    this.#now = now ? () => now().getTime() : Date.now;
  }

  async dispatch(jobs: readonly DispatchedJob[]): Promise<void> {
    if (this.#closed) return;
    for (const job of jobs) {
      // the runner gets the row's reference and the due time it was dispatched for (a new due time is a new dispatch)
      const { id, process_instance_id, type, due_at, trace_parent } = job;
      const entry: Entry = { job: { id, process_instance_id, type, due_at, trace_parent }, due: due_at.getTime(), seq: this.#seq++ };
      this.#pending.set(job.id, entry);
      this.#heap.push(entry);
    }
    // replaced entries wait in the heap until their due time; a sweeper re-dispatching the same
    // rows over and over must not make that unbounded
    if (this.#heap.size > 2 * this.#pending.size + 1024) {
      this.#heap.rebuild([...this.#pending.values()].filter((entry) => this.#parked.get(entry.job.id) !== entry));
    }
    this.#arm();
  }

  async start(run: JobRunner, concurrency: number): Promise<void> {
    if (this.#closed) return;
    if (this.#run) throw new Error('the dispatcher is already started');
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    this.#run = run;
    this.#concurrency = concurrency;
    this.#arm();
  }

  /** no other engine shares this dispatcher: there is nobody to tell, and nothing to hear */
  async announce(): Promise<void> {}

  async listen(): Promise<void> {}

  async close(giveUp?: AbortSignal): Promise<void> {
    this.#closed = true;
    this.#disarm();
    this.#heap.rebuild([]);
    this.#pending.clear();
    this.#parked.clear();
    await settlesBefore(Promise.all(this.#running.values()), giveUp);
  }

  /** starts due jobs while there is room, then sets the timer for what is left */
  #pump(): void {
    if (!this.#run || this.#closed) return;
    const now = this.#now();
    while (this.#running.size < this.#concurrency) {
      const next = this.#heap.peek();
      if (!next || next.due > now) break;
      this.#heap.pop();
      const { id } = next.job;
      if (this.#pending.get(id) !== next) continue;
      if (this.#running.has(id)) {
        this.#parked.set(id, next);
        continue;
      }
      this.#pending.delete(id);
      this.#launch(this.#run, next.job);
    }
    this.#arm();
  }

  #launch(run: JobRunner, job: JobRef): void {
    const { id } = job;
    const running = runQuietly(run, job).then(() => {
      this.#running.delete(id);
      const parked = this.#parked.get(id);
      this.#parked.delete(id);
      if (parked && this.#pending.get(id) === parked) this.#heap.push(parked);
      this.#pump();
    });
    this.#running.set(id, running);
  }

  /**
   * Keeps one timer for the earliest entry. Runs start only from the timer or from a run that
   * ends, never inside dispatch or start, so a caller's stack never runs a job.
   */
  #arm(): void {
    const next = this.#heap.peek();
    if (!this.#run || this.#closed || !next || this.#running.size >= this.#concurrency) {
      this.#disarm();
      return;
    }
    if (this.#alarm && this.#alarmAt <= next.due) return;
    this.#disarm();
    const now = this.#now();
    const delay = Math.min(Math.max(next.due - now, 0), MAX_TIMEOUT_MS);
    this.#alarmAt = now + delay;
    this.#alarm = setTimeout(() => {
      this.#alarm = undefined;
      this.#pump();
    }, delay);
  }

  #disarm(): void {
    clearTimeout(this.#alarm);
    this.#alarm = undefined;
  }
}

/** the runner promises not to throw; if it does anyway the row is still the truth, so carry on */
async function runQuietly(run: JobRunner, job: JobRef): Promise<void> {
  try {
    await run(job);
  } catch {
    // the sweeper will find the row again if it still needs running
  }
}

/** binary min-heap on (due, seq) */
class EntryHeap {
  #items: Entry[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): Entry | undefined {
    return this.#items[0];
  }

  push(entry: Entry): void {
    const items = this.#items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = entry;
  }

  pop(): Entry | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) this.#siftDown(0, last);
    return top;
  }

  rebuild(entries: Entry[]): void {
    this.#items = entries;
    for (let i = (entries.length >> 1) - 1; i >= 0; i--) this.#siftDown(i, entries[i]!);
  }

  #siftDown(start: number, entry: Entry): void {
    const items = this.#items;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= items.length) break;
      if (child + 1 < items.length && before(items[child + 1]!, items[child]!)) child++;
      if (!before(items[child]!, entry)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = entry;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

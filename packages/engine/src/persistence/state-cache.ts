// The runtime rows of recently written instances, kept in memory on a store that no other process writes
// (PGlite): a command on an instance that a command of this process just wrote takes its rows from here
// rather than reading its eight tables, which was about a quarter of a task completion's time there.
//
// What is kept must be what the store holds. It is put back only once the command that wrote it has
// committed, and only if nothing else loaded the instance since (a command that loads an instance takes
// its entry out, so two commands never work from one copy). Every other statement that may change an
// instance's rows (a job's lock, an external task's fetch, a suspension, the retention, a key rotation: any
// statement but a plain read or a command's own write that names one of the runtime tables) empties the
// cache, and an instance loaded before such a statement is not put back.
import type { CompiledQuery } from 'kysely';
import type { InstanceState } from '../execution/instance-state.js';
import { rowsOfState, type InstanceRows, type InstanceTarget } from './load-state.js';

/** an instance's rows as a command leaves them, to be kept once it has committed */
export interface WrittenInstance {
  claim: number;
  rows: InstanceRows;
}

/** the tables whose rows belong to an instance, and the ones a command may name an instance through */
const RUNTIME_TABLES = /\b(process_instances|executions|process_variables|tasks|task_identity_links|external_tasks|event_subscriptions|jobs|incidents|activity_instances)\b/;
/** what a statement that changes rows or tables says (a lock `for update` changes nothing) */
const CHANGES = /\b(insert|delete|truncate|merge|copy|alter|drop)\b|(?<!\b(for|key)\s+)\bupdate\b/i;
/** an instance whose variables hold more text than this is not kept */
const MAX_VALUE_CHARS = 256 * 1024;
/**
 * claims of commands still running, at most: one that failed never puts its rows back, and its claim would
 * stay; past this many they are all forgotten, and the commands running then keep nothing
 */
const MAX_CLAIMS = 10_000;

export class StateCache {
  readonly #entries = new Map<string, InstanceRows>();
  /** `tasks:<id>` and the like: the instance each open task, external task and open incident of an entry belongs to */
  readonly #owners = new Map<string, string>();
  /** per instance, the claim of the command that loaded it last: only that one may put its rows back */
  readonly #claims = new Map<string, number>();
  readonly #written = new WeakSet<CompiledQuery>();
  #lastClaim = 0;

  constructor(private readonly capacity: number) {}

  /** a statement of a command's own write, which keeps the cache as it is */
  commandWrite(query: CompiledQuery): void {
    this.#written.add(query);
  }

  /** every statement on the store passes here before it runs */
  saw(query: CompiledQuery): void {
    if (!this.#written.has(query) && CHANGES.test(query.sql) && RUNTIME_TABLES.test(query.sql)) this.clear();
  }

  clear(): void {
    this.#entries.clear();
    this.#owners.clear();
    this.#claims.clear();
  }

  /**
   * The kept rows of the instance the target names, taken out: the command that loads them works on them
   * alone. Undefined when they are not kept; `claim` then tells which instance was loaded from the store.
   */
  take(target: InstanceTarget): { rows: InstanceRows; claim: number } | undefined {
    const id = this.#idOf(target);
    const rows = id === undefined ? undefined : this.#entries.get(id);
    if (!rows) return undefined;
    return { rows, claim: this.claim(rows.instance.id) };
  }

  /**
   * The kept rows of the instance, left in place, for a read: what the store holds, as the last command that
   * wrote them committed them. The caller must not change them.
   */
  peek(target: InstanceTarget): Readonly<InstanceRows> | undefined {
    const id = this.#idOf(target);
    return id === undefined ? undefined : this.#entries.get(id);
  }

  #idOf(target: InstanceTarget): string | undefined {
    return typeof target === 'string' ? target : this.#owners.get(`${target.table}:${target.id}`);
  }

  /** a command loaded the instance (or started it): its rows are no longer kept, and it alone may put them back */
  claim(instanceId: string): number {
    this.#remove(instanceId);
    if (this.#claims.size >= MAX_CLAIMS) this.#claims.clear();
    this.#lastClaim += 1;
    this.#claims.set(instanceId, this.#lastClaim);
    return this.#lastClaim;
  }

  /** the rows of the instance as the command leaves them, copied, or undefined where they are not to be kept */
  written(state: InstanceState, claim: number): WrittenInstance | undefined {
    let chars = 0;
    for (const v of state.variables.values()) chars += (v.value_text?.length ?? 0) + (v.value_info?.length ?? 0);
    // an ended instance takes no more commands
    if (!state.isEnded && chars <= MAX_VALUE_CHARS) return { claim, rows: structuredClone(rowsOfState(state)) };
    if (this.#claims.get(state.instance.id) === claim) this.#claims.delete(state.instance.id);
    return undefined;
  }

  /** the command committed: its rows are kept, unless another command loaded the instance meanwhile */
  put({ claim, rows }: WrittenInstance): void {
    const id = rows.instance.id;
    if (this.#claims.get(id) !== claim) return;
    this.#claims.delete(id);
    this.#entries.set(id, rows);
    for (const key of ownerKeys(rows)) this.#owners.set(key, id);
    if (this.#entries.size > this.capacity) this.#remove(this.#entries.keys().next().value!);
  }

  #remove(instanceId: string): void {
    const rows = this.#entries.get(instanceId);
    if (!rows) return;
    this.#entries.delete(instanceId);
    for (const key of ownerKeys(rows)) this.#owners.delete(key);
  }
}

function* ownerKeys(rows: InstanceRows): Iterable<string> {
  for (const t of rows.tasks) yield `tasks:${t.id}`;
  for (const t of rows.external_tasks) yield `external_tasks:${t.id}`;
  for (const i of rows.incidents) yield `incidents:${i.id}`;
}

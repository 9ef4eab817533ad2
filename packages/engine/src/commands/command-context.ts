import type { Kysely } from 'kysely';
import type { Caller } from '../access/caller.js';
import type { HistoryLevel } from '../api/engine.js';
import type { CommittedEvent, EngineObserver } from '../api/observer.js';
import type { LockedExternalTask } from '../api/types.js';
import type { DecisionRegistry } from '../definitions/decision-registry.js';
import type { DefinitionRegistry } from '../definitions/definition-registry.js';
import type { InterpreterOptions } from '../execution/interpreter.js';
import type { DispatchedJob } from '../jobs/job-dispatcher.js';
import type { Database } from '../persistence/database.js';
import type { StateCache, WrittenInstance } from '../persistence/state-cache.js';
import type { VariableProtection } from '../protection/variable-protection.js';
import type { GroupCommit } from './group-commit.js';
import type { IdempotencyClaim } from './idempotency-claim.js';

export interface CommittedWork {
  jobs: DispatchedJob[];
  /** topics with new tasks that no in-process handler took */
  topics: Set<string>;
  /** new tasks written locked to an in-process handler, for it to work once they are committed */
  pushed: { slot: HandlerSlot; task: LockedExternalTask }[];
  /** the transaction wrote outbox events: the relay publishes them */
  events: boolean;
  /** the events of instances it wrote, for the observer (collected only when it counts them) */
  observed: CommittedEvent[];
  /** the rows of the instances it wrote, for the cache of instance rows to keep */
  written: WrittenInstance[];
}

/** Room an in-process handler keeps for a task a command is creating: the task runs or the room is freed. */
export interface HandlerSlot {
  worker_id: string;
  /** ms the task stays locked */
  lock_duration: number;
  /** the command committed: work the task */
  run(task: LockedExternalTask): void;
  /** the command failed or runs again: the room is free */
  release(): void;
}

/** how commands get their transaction: group commit on the engine's own pool, or a caller's transaction joined */
export type CommandTransactions = Pick<GroupCommit, 'run' | 'locked' | 'sharedRead' | 'addEvents'>;

/** What every command needs: the database, the compiled models and the interpreter's settings. */
export interface CommandContext {
  db: Kysely<Database>;
  /** runs each command in a transaction, several together when they queue (group commit) */
  transactions: CommandTransactions;
  definitions: DefinitionRegistry;
  decisions: DecisionRegistry;
  /**
   * no other transaction can run on the store while the command's does (PGlite: one connection, that the
   * transaction holds), so the rows a command reads need no lock
   */
  exclusiveStore: boolean;
  /** the rows of instances this process wrote last, on an exclusive store without protection (state-cache.ts) */
  stateCache?: StateCache;
  interpreter: InterpreterOptions;
  historyLevel: HistoryLevel;
  maxBpmnBytes: number;
  /** encrypts protected variables in the rows written and opens them in the rows read; absent when off */
  protection?: VariableProtection;
  now(): Date;
  /**
   * after a commit: jobs to dispatch and topics that got new external tasks (for in-process handlers);
   * never throws, since the sweeper finds whatever this could not hand over
   */
  committed(work: CommittedWork): void;
  /** room in an in-process handler of the topic for a new task, if one has it */
  handlerSlot(topic: string): HandlerSlot | undefined;
  /** hears of commits and job runs (metrics); `{}` when nobody listens */
  observer: EngineObserver;
  /** whom the command is for: it reaches only what the caller may see; absent: anything */
  caller?: Caller;
  /** the Idempotency-Key the command's first transaction takes; absent: none */
  idempotency?: IdempotencyClaim;
}

import type { Kysely } from 'kysely';
import type { HistoryLevel } from '../api/engine.js';
import type { DefinitionRegistry } from '../definitions/definition-registry.js';
import type { InterpreterOptions } from '../execution/interpreter.js';
import type { DispatchedJob } from '../jobs/job-dispatcher.js';
import type { Database } from '../persistence/database.js';
import type { GroupCommit } from './group-commit.js';

export interface CommittedWork {
  jobs: DispatchedJob[];
  topics: Set<string>;
}

/** What every command needs: the database, the compiled models and the interpreter's settings. */
export interface CommandContext {
  db: Kysely<Database>;
  /** runs each command in a transaction, several together when they queue (group commit) */
  transactions: GroupCommit;
  definitions: DefinitionRegistry;
  interpreter: InterpreterOptions;
  historyLevel: HistoryLevel;
  maxBpmnBytes: number;
  now(): Date;
  /**
   * after a commit: jobs to dispatch and topics that got new external tasks (for in-process handlers);
   * never throws, since the sweeper finds whatever this could not hand over
   */
  committed(work: CommittedWork): void;
}

import type { Kysely } from 'kysely';
import type { HistoryLevel } from '../api/engine.js';
import type { DefinitionRegistry } from '../definitions/definition-registry.js';
import type { InterpreterOptions } from '../execution/interpreter.js';
import type { Database } from '../persistence/database.js';

/** What every command needs: the database, the compiled models and the interpreter's settings. */
export interface CommandContext {
  db: Kysely<Database>;
  definitions: DefinitionRegistry;
  interpreter: InterpreterOptions;
  historyLevel: HistoryLevel;
  maxBpmnBytes: number;
  now(): Date;
}

import type { Kysely } from 'kysely';
import type { Caller } from '../access/caller.js';
import type { HistoryLevel } from '../api/engine.js';
import type { DecisionRegistry } from '../definitions/decision-registry.js';
import type { ProcessModel } from '../model/process-model.js';
import type { Database } from '../persistence/database.js';
import type { InstanceRows, InstanceTarget } from '../persistence/load-state.js';
import type { VariableProtection } from '../protection/variable-protection.js';

/** What the read side needs: the database (or an open transaction) and the compiled models. */
export interface QueryContext {
  db: Kysely<Database>;
  /** the compiled model of a deployed definition (cached; compiled from its stored XML on first use) */
  model(definitionId: string): Promise<ProcessModel>;
  /** the deployed decisions, compiled */
  decisions: DecisionRegistry;
  historyLevel: HistoryLevel;
  /** opens protected values in the rows read; absent when off */
  protection?: VariableProtection;
  now(): Date;
  /** narrows every answer to what the caller may see; absent: everything */
  caller?: Caller;
  /** the runtime rows of an instance (or of the one an open task belongs to) as the store holds them, where the embedded store keeps them in memory */
  cachedInstance?(target: InstanceTarget): Readonly<InstanceRows> | undefined;
}

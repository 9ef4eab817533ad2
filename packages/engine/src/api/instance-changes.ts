// The wire types of the operator's changes to running instances: modification (POST /instances/{id}/modification)
// and migration to another definition (POST /migrations).
import type { VariablesInput } from './types.js';

/**
 * One step of a process instance modification (POST /instances/{id}/modification), as Camunda 7's
 * instructions: a token started before an activity, after it (on its one outgoing flow) or on a flow, with
 * variables set as it starts; or the instances of an activity, or one activity instance, cancelled.
 */
export type ModificationInstruction =
  | {
    type: 'start_before_activity' | 'start_after_activity' | 'start_transition';
    activity_id?: string;
    transition_id?: string;
    variables?: VariablesInput;
    /** the activity instance of the sub-process to start in, where that sub-process runs more than once */
    ancestor_activity_instance_id?: string;
  }
  | { type: 'cancel'; activity_id?: string; activity_instance_id?: string };

export interface ModifyInstanceInput {
  instructions: ModificationInstruction[];
  /** why: kept in the audit trail, and the reason the instance ended if the modification ends it */
  annotation?: string;
  user_id?: string;
}

export interface MigrationInstruction {
  source_activity_id: string;
  target_activity_id: string;
  /**
   * what waits for the source event (a message or signal subscription, a timer) waits for the target's
   * trigger instead: its message or signal name, its timer counted again from the migration
   */
  update_event_trigger?: boolean;
}

/** POST /migrations: running instances moved to another definition, each element by the instructions or by its id */
export interface MigrateInstancesInput {
  target_definition_id: string;
  process_instance_ids: string[];
  /** the definition every instance must be of, as a plan made for it says */
  source_definition_id?: string;
  /** the mapping; absent: each element whose id the target has */
  instructions?: MigrationInstruction[];
  /** set on each instance migrated, as its own variables */
  variables?: VariablesInput;
  user_id?: string;
}

/** POST /migrations/plan: the instructions that map each element of the source to the target's of its id and kind */
export interface MigrationPlan {
  source_definition_id: string;
  target_definition_id: string;
  instructions: MigrationInstruction[];
}

export interface MigrationResult {
  target_definition_id: string;
  /** the instances migrated, every one named */
  process_instance_ids: string[];
}

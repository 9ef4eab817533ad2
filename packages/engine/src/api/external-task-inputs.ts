// The inputs of the external task methods: what a worker fetches, and what a list of the tasks filters by.
import type { PageQuery } from './engine.js';

export interface FetchAndLockInput {
  worker_id: string;
  max_tasks: number;
  topics: {
    topic_name: string;
    lock_duration: number;
    business_key?: string;
    process_instance_id?: string;
    process_definition_key?: string;
    tenant_ids?: string[];
    variables?: string[];
  }[];
}

export interface ExternalTaskQuery extends PageQuery {
  /** only the tasks of these ids (none left out when empty) */
  ids?: string[];
  topic_name?: string;
  /** the worker that holds the lock, or held it last */
  worker_id?: string;
  /** true: only tasks whose lock has not expired; false: those no lock keeps from a fetch */
  locked?: boolean;
  /** true: only tasks whose retries are exhausted (they hold a failedExternalTask incident); false: those with retries left */
  failed?: boolean;
  /** true: only the tasks of suspended instances; false: those of active ones */
  suspended?: boolean;
  process_instance_id?: string;
  process_definition_id?: string;
  process_definition_key?: string;
  activity_id?: string;
  /** only the tasks of these tenants (none left out when empty) */
  tenant_ids?: string[];
}

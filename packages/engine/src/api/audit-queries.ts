// What the list of audit entries across instances and definitions filters by, and what it answers.
import type { PageQuery } from './engine.js';
import type { AuditEntry } from './types.js';

/** what an entry's operation acted on, in Camunda's words */
export type AuditEntityType =
  'ProcessInstance' | 'Task' | 'Variable' | 'ProcessDefinition' | 'Deployment' | 'Incident' | 'ExternalTask' | 'Job';
/** who does such an operation, in Camunda's words: work on tasks, or operating instances and definitions */
export type AuditCategory = 'Operator' | 'TaskWorker' | 'Admin';

export interface AuditEntryQuery extends PageQuery {
  id?: string;
  process_instance_id?: string;
  process_definition_id?: string;
  process_definition_key?: string;
  task_id?: string;
  execution_id?: string;
  user_id?: string;
  operation?: string;
  /** any of these */
  entity_types?: string[];
  /** any of these */
  categories?: string[];
  property?: string;
  /** only entries after this time, not at it */
  after?: string;
  /** only entries before this time, not at it */
  before?: string;
}

/** an audit entry of any instance or definition, with what it concerns */
export interface ListedAuditEntry extends AuditEntry {
  entity_type: AuditEntityType;
  category: AuditCategory;
  process_instance_id?: string;
  process_definition_id?: string;
  process_definition_key?: string;
  tenant_id?: string;
  removal_time?: string;
}

// Kysely's view of the schema in migrations/. Mirrors the SQL exactly; change both together.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** timestamptz: a Date from both drivers; written as a Date or an ISO string */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** int8: postgres.js answers a string, PGlite a number; normalise with Number() when reading */
type Int8 = ColumnType<string | number, number, number>;

export interface DeploymentsTable {
  id: string;
  name: string | null;
  source: string | null;
  tenant_id: string | null;
  deployed_at: Timestamp;
  deployed_by: string;
}

export interface ProcessDefinitionsTable {
  id: string;
  key: string;
  name: string;
  version: number;
  category: string | null;
  description: string | null;
  deployment_id: string;
  deployed_at: Timestamp;
  deployed_by: string;
  bpmn_xml: string;
  diagram: string | null;
  active: boolean;
  suspended: boolean;
  tenant_id: string | null;
  resource_hash: string;
  version_tag: string | null;
  /** JSON: element id → id of the form it links to (forms), when any element links one */
  linked_forms: string | null;
}

export interface FormsTable {
  id: string;
  /** the form's own id, which formId / formRef name */
  form_key: string;
  version: number;
  version_tag: string | null;
  deployment_id: string;
  tenant_id: string | null;
  /** the form-js JSON as deployed */
  schema: string;
  resource_hash: string;
  deployed_at: Timestamp;
}

export interface DecisionDefinitionsTable {
  id: string;
  /** the decision's id in its DMN file */
  key: string;
  name: string | null;
  version: number;
  version_tag: string | null;
  decision_requirements_key: string | null;
  deployment_id: string;
  tenant_id: string | null;
  /** the whole DMN file the decision was deployed in */
  dmn_xml: string;
  resource_hash: string;
  history_time_to_live: number | null;
  deployed_at: Timestamp;
  deployed_by: string;
}

/** an evaluation of a decision (migration 0022): its inputs and outputs as JSON text */
export interface DecisionInstancesTable {
  id: string;
  decision_definition_id: string;
  decision_key: string;
  decision_name: string | null;
  decision_version: number;
  root_decision_instance_id: string | null;
  process_instance_id: string | null;
  process_definition_id: string | null;
  process_definition_key: string | null;
  activity_id: string | null;
  activity_instance_id: string | null;
  tenant_id: string | null;
  evaluated_at: Timestamp;
  user_id: string | null;
  inputs: string;
  outputs: string;
  collect_result_value: string | null;
  removal_time: Timestamp | null;
}

export interface ProcessInstancesTable {
  id: string;
  process_definition_id: string;
  process_definition_key: string;
  business_key: string | null;
  start_time: Timestamp;
  end_time: Timestamp | null;
  duration: Int8 | null;
  status: string;
  started_by: string;
  tenant_id: string | null;
  super_instance_id: string | null;
  super_execution_id: string | null;
  root_instance_id: string;
  delete_reason: string | null;
  suspension_state: string;
  sequence_counter: number;
  /** a root instance's end plus its history time to live; NULL while it runs, for called instances, and when kept forever */
  removal_time: Timestamp | null;
}

export interface ExecutionsTable {
  id: string;
  process_instance_id: string;
  parent_id: string | null;
  activity_id: string | null;
  activity_instance_id: string | null;
  transition_id: string | null;
  state: string;
  is_scope: boolean;
  data: string | null;
}

export interface ProcessVariablesTable {
  id: string;
  instance_id: string;
  execution_id: string;
  task_id: string | null;
  activity_instance_id: string | null;
  name: string;
  type: string;
  value_text: string | null;
  value_long: Int8 | null;
  value_double: number | null;
  value_bytes: Uint8Array | null;
  value_info: string | null;
  /** a protected variable's keyed hash of name and value, for message correlation (migration 0006) */
  value_hash: string | null;
  serialization_data_format: string | null;
  is_transient: boolean;
  revision: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TasksTable {
  id: string;
  name: string;
  description: string | null;
  process_instance_id: string | null;
  process_definition_id: string;
  process_definition_key: string;
  task_definition_key: string;
  execution_id: string;
  activity_instance_id: string | null;
  assignee: string | null;
  owner: string | null;
  delegation_state: string | null;
  status: string;
  created: Timestamp;
  end_time: Timestamp | null;
  completed_by: string | null;
  due: Timestamp | null;
  follow_up: Timestamp | null;
  priority: number;
  suspension_state: string;
  tenant_id: string | null;
  form_key: string | null;
  cam_form_ref: string | null;
  parent_task_id: string | null;
  case_execution_id: string | null;
  case_instance_id: string | null;
  case_definition_id: string | null;
  /** its candidates, as the task answers them and as its identity links name them; searched through the open tasks' indexes (migration 0015) */
  candidate_users: string[];
  candidate_groups: string[];
}

export interface TaskIdentityLinksTable {
  id: string;
  task_id: string;
  type: string;
  group_id: string | null;
  user_id: string | null;
  tenant_id: string | null;
}

export interface ExternalTasksTable {
  id: string;
  process_instance_id: string;
  process_definition_id: string;
  process_definition_key: string;
  execution_id: string;
  activity_id: string;
  activity_instance_id: string | null;
  topic_name: string;
  business_key: string | null;
  tenant_id: string | null;
  worker_id: string | null;
  lock_expiration_time: Timestamp | null;
  retries: number;
  error_message: string | null;
  error_details: string | null;
  priority: number;
  suspended: boolean;
  created_at: Timestamp;
}

export interface JobsTable {
  id: string;
  type: 'timer' | 'async' | 'service';
  handler: JobHandler;
  process_instance_id: string | null;
  process_definition_id: string;
  process_definition_key: string;
  execution_id: string | null;
  activity_id: string;
  tenant_id: string | null;
  due_at: Timestamp;
  repeat: string | null;
  payload: string | null;
  retries: number;
  lock_owner: string | null;
  lock_expires_at: Timestamp | null;
  exception_message: string | null;
  exception_stacktrace: string | null;
  suspended: boolean;
  created_at: Timestamp;
  /** the W3C traceparent of the command that wrote the job, when traced (0012_trace_context.sql) */
  trace_parent: string | null;
}

export type JobHandler = 'timer-catch' | 'timer-boundary' | 'timer-start' | 'async-before' | 'async-after' | 'service' | 'signal-throw';

export interface EventSubscriptionsTable {
  id: string;
  event_type: string;
  event_name: string | null;
  process_instance_id: string | null;
  execution_id: string | null;
  activity_id: string;
  process_definition_id: string;
  tenant_id: string | null;
  created_at: Timestamp;
  /** compensate subscriptions: their CompensationConfiguration as JSON (0020_compensation_subscriptions.sql) */
  configuration: string | null;
}

export interface IncidentsTable {
  id: string;
  incident_timestamp: Timestamp;
  incident_type: string;
  execution_id: string | null;
  activity_id: string | null;
  activity_name: string | null;
  process_instance_id: string | null;
  process_definition_id: string | null;
  cause_incident_id: string | null;
  root_cause_incident_id: string | null;
  configuration: string | null;
  incident_message: string | null;
  tenant_id: string | null;
  job_definition_id: string | null;
  annotation: string | null;
  assignee: string | null;
  status: string;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
  resolution_type: string | null;
  resolution_message: string | null;
}

export interface IncidentHistoryTable {
  id: string;
  incident_id: string;
  timestamp: Timestamp;
  action: string;
  message: string;
  user_id: string | null;
  details: string | null;
}

export interface ActivityInstancesTable {
  id: string;
  process_instance_id: string;
  process_definition_id: string;
  process_definition_key: string;
  seq: number;
  execution_id: string;
  parent_activity_instance_id: string | null;
  activity_id: string;
  activity_name: string | null;
  activity_type: string;
  transition_id: string | null;
  status: string;
  start_time: Timestamp;
  end_time: Timestamp | null;
  duration: Int8 | null;
  assignee: string | null;
  task_id: string | null;
  called_process_instance_id: string | null;
  in_path: boolean;
}

export interface AuditLogTable {
  id: string;
  seq: Generated<number>;
  timestamp: Timestamp;
  process_instance_id: string | null;
  execution_id: string | null;
  task_id: string | null;
  activity_id: string | null;
  activity_name: string | null;
  activity_type: string | null;
  process_definition_id: string | null;
  process_definition_key: string | null;
  assignee: string | null;
  operation: string;
  user_id: string | null;
  property: string | null;
  org_value: string | null;
  new_value: string | null;
  tenant_id: string | null;
  removal_time: Timestamp | null;
}

export interface OutboxTable {
  seq: Generated<number>;
  id: string;
  type: string;
  process_instance_id: string | null;
  payload: string;
  created_at: Timestamp;
  published_at: Timestamp | null;
  /** the place in the published order, given once the row is committed (0009_event_relay.sql) */
  position: Generated<number | null>;
  tenant_id: string | null;
  process_definition_key: string | null;
  /** the W3C traceparent of the command that wrote the event, when traced (0012_trace_context.sql) */
  trace_parent: string | null;
}

export interface OutboxPositionsTable {
  id: number;
  last_position: number;
}

export interface OutboxSinksTable {
  sink: string;
  position: number;
  holder: string | null;
  lease_until: Timestamp | null;
  updated_at: Timestamp;
}

export interface IdempotencyKeysTable {
  key: string;
  request_hash: string;
  status_code: number;
  response: string;
  created_at: Timestamp;
}

export interface Database {
  deployments: DeploymentsTable;
  process_definitions: ProcessDefinitionsTable;
  forms: FormsTable;
  decision_definitions: DecisionDefinitionsTable;
  decision_instances: DecisionInstancesTable;
  process_instances: ProcessInstancesTable;
  executions: ExecutionsTable;
  process_variables: ProcessVariablesTable;
  tasks: TasksTable;
  task_identity_links: TaskIdentityLinksTable;
  external_tasks: ExternalTasksTable;
  jobs: JobsTable;
  event_subscriptions: EventSubscriptionsTable;
  incidents: IncidentsTable;
  incident_history: IncidentHistoryTable;
  activity_instances: ActivityInstancesTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  outbox_positions: OutboxPositionsTable;
  outbox_sinks: OutboxSinksTable;
  idempotency_keys: IdempotencyKeysTable;
}

export type TableName = keyof Database;
export type Row<T extends TableName> = Selectable<Database[T]>;
export type NewRow<T extends TableName> = Insertable<Database[T]>;
export type RowUpdate<T extends TableName> = Updateable<Database[T]>;

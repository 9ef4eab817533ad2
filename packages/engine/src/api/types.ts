// Wire types: the seed's data models, snake_case, as the REST API returns them. Times are ISO 8601
// strings in UTC and durations milliseconds (API.md conventions).

export type VariableType =
  | 'Null' | 'Boolean' | 'String' | 'Integer' | 'Long' | 'Double' | 'Date' | 'Json' | 'Xml' | 'File' | 'Bytes' | 'Object';

export interface VariableValueInfo {
  object_type_name?: string;
  serialization_data_format?: string;
  filename?: string;
  mimetype?: string;
  encoding?: string;
}

export interface ProcessVariable {
  value: unknown;
  type: VariableType;
  value_info?: VariableValueInfo;
  scope?: 'global' | 'local' | 'transient';
  created_at?: string;
  updated_at?: string;
}

/** A variable as a client sends it: `type` is inferred when left out. */
export interface ProcessVariableInput {
  value: unknown;
  type?: VariableType;
  value_info?: VariableValueInfo;
}

export type VariablesInput = Record<string, ProcessVariableInput>;

export interface VariableUpdate {
  variable_name: string;
  value: unknown;
  type?: VariableType;
  value_info?: VariableValueInfo;
  local?: boolean;
}

export interface Page<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
  /** where a list pages by cursor: the cursor of the next page, absent on the last one */
  next_cursor?: string;
}

export type TaskType =
  | 'userTask' | 'serviceTask' | 'scriptTask' | 'sendTask' | 'receiveTask' | 'manualTask' | 'businessRuleTask';

export type FormFieldType = 'string' | 'number' | 'boolean' | 'date' | 'select' | 'multiselect' | 'text' | 'file';

export interface ValidationRule {
  name: string;
  config?: string;
}

export interface FormField {
  id: string;
  label: string;
  type: FormFieldType;
  /** the type a submitted value is stored as (a Camunda 7 `long` field is a number kept as Long) */
  value_type: VariableType;
  required: boolean;
  options?: string[];
  validation_rules?: ValidationRule[];
  default_value?: string;
}

export interface ProcessStartForm {
  key: string;
  /** checked when an instance is started through POST /instances */
  fields: FormField[];
  /** the form-js schema of a Camunda 8 start form */
  schema?: Record<string, unknown>;
}

export interface ProcessTask {
  id: string;
  name: string;
  type: TaskType;
  assignee?: string;
  candidate_groups?: string[];
  candidate_users?: string[];
  service_type?: string;
  service_name?: string;
  form_key?: string;
  documentation?: string;
}

export interface ProcessDefinition {
  id: string;
  key: string;
  name: string;
  version: number;
  category: string;
  description: string;
  deployment_id: string;
  deployed_at: string;
  deployed_by: string;
  bpmn_xml?: string;
  active: boolean;
  suspended: boolean;
  instances: number;
  tenant_id?: string;
  version_tag?: string;
  diagram?: string;
  start_form?: ProcessStartForm;
  tasks?: ProcessTask[];
  /** the one definition (GET /definitions/{id}): what was done to every version of its key in its tenant */
  audit_trail?: DefinitionAuditEntry[];
}

export interface DeploymentResult {
  deployment_id: string;
  definitions: ProcessDefinition[];
  /** false when byte-identical XML was deployed again and no new version was made (HTTP 200, not 201). */
  created: boolean;
}

export type ProcessInstanceStatus = 'active' | 'suspended' | 'completed' | 'terminated' | 'externally_terminated';
export type ActivityStatus = 'active' | 'waiting' | 'completed' | 'failed' | 'cancelled';

export interface CurrentActivity {
  id: string;
  activity_id: string;
  name: string;
  type: string;
  status: ActivityStatus;
  started_at: string;
  assignee?: string;
}

export interface ProcessInstance {
  id: string;
  process_definition_id: string;
  process_definition_key: string;
  process_definition_name: string;
  business_key?: string;
  start_time: string;
  end_time?: string;
  duration?: number;
  /** when an ended instance's history is removed (its end plus its retention); absent: kept for ever */
  removal_time?: string;
  status: ProcessInstanceStatus;
  started_by: string;
  tenant_id?: string;
  super_instance_id?: string;
  variables: Record<string, ProcessVariable>;
  current_activities: CurrentActivity[];
}

export interface Activity {
  id: string;
  activity_id: string;
  instance_id: string;
  name: string;
  type: string;
  status: ActivityStatus;
  start_time: string;
  end_time?: string;
  duration?: number;
  assignee?: string;
  task_id?: string;
  execution_id: string;
  parent_activity_instance_id?: string;
  /** a call activity's: the instance it called (API.md's name) */
  called_instance_id?: string;
  /** the same, under the name it had first */
  called_process_instance_id?: string;
  /** an event's: the kind of its event definition (`timer`, `message`, `error`…); absent for a none event */
  event_definition?: string;
  /** true for an element with no outgoing sequence flow: a token that leaves it ends its scope */
  ends_scope?: boolean;
}

export interface ExecutionPath {
  activity_id: string;
  activity_name: string;
  timestamp: string;
  execution_id: string;
  transition_id?: string;
}

export interface AuditEntry {
  id: string;
  timestamp: string;
  operation: string;
  user_id?: string;
  task_id?: string;
  activity_id?: string;
  activity_name?: string;
  activity_type?: string;
  execution_id?: string;
  assignee?: string;
  property?: string;
  org_value?: string;
  new_value?: string;
}

/** an entry of a definition's audit trail names the version it concerns */
export interface DefinitionAuditEntry extends AuditEntry {
  process_definition_id: string;
}

export interface ProcessInstanceDetails extends ProcessInstance {
  activities: Activity[];
  incidents: Incident[];
  execution_path: ExecutionPath[];
  audit_trail: AuditEntry[];
  delete_reason?: string;
}

export type TaskStatus = 'created' | 'assigned' | 'delegated' | 'pending' | 'completed' | 'cancelled';

export interface Task {
  id: string;
  name: string;
  description?: string;
  process_instance_id: string;
  process_definition_id: string;
  process_definition_key: string;
  task_definition_key: string;
  assignee?: string;
  owner?: string;
  created: string;
  due?: string;
  follow_up?: string;
  priority: number;
  status: TaskStatus;
  form_key?: string;
  tenant_id?: string;
  candidate_users: string[];
  candidate_groups: string[];
  variables: Record<string, ProcessVariable>;
}

export interface TaskDetails extends Task {
  execution_id: string;
  case_execution_id?: string;
  case_definition_id?: string;
  suspension_state: 'active' | 'suspended';
  parent_task_id?: string;
  delegation_state?: 'pending' | 'resolved';
  end_time?: string;
  completed_by?: string;
  /** the fields its form declares (camunda:formData, or the components of an embedded form-js form), checked on completion */
  form_fields: FormField[];
  /**
   * the form-js schema of a form embedded in the model (zeebe:userTaskForm), or linked by id
   * (zeebe:formDefinition formId, camunda:formRef) and deployed beside it
   */
  form_schema?: Record<string, unknown>;
}

export interface LockedExternalTask {
  id: string;
  topic_name: string;
  worker_id: string;
  process_instance_id: string;
  process_definition_id: string;
  process_definition_key: string;
  activity_id: string;
  activity_instance_id?: string;
  execution_id: string;
  business_key?: string;
  tenant_id?: string;
  /** what the task's execution sees, sorted by name (as JavaScript compares strings) */
  variables: Record<string, ProcessVariable>;
  retries: number;
  lock_expiration_time: string;
  error_message?: string;
  error_details?: string;
  priority: number;
}

export interface ExternalTask {
  id: string;
  topic_name: string;
  worker_id?: string;
  process_instance_id: string;
  process_definition_id: string;
  process_definition_key: string;
  activity_id: string;
  activity_instance_id?: string;
  execution_id: string;
  business_key?: string;
  tenant_id?: string;
  retries: number;
  lock_expiration_time?: string;
  error_message?: string;
  suspended: boolean;
  priority: number;
  created_at: string;
}

/** API.md `GET /jobs`: a timer, an async continuation or a service call the engine runs */
export interface Job {
  id: string;
  type: 'timer' | 'async' | 'service';
  process_instance_id?: string;
  process_definition_id: string;
  process_definition_key: string;
  /** the token the job moves on; absent for a job of no instance */
  execution_id?: string;
  activity_id: string;
  due_at: string;
  retries: number;
  exception_message?: string;
  suspended: boolean;
  created_at: string;
  tenant_id?: string;
}

export type IncidentType = 'failedJob' | 'failedExternalTask' | 'unhandledBpmnError' | 'conditionError' | 'failedInstruction';
export type IncidentStatus = 'open' | 'resolved' | 'deleted';
export type IncidentAction = 'created' | 'resolved' | 'deleted' | 'escalated' | 'assigned' | 'commented';
export type ResolutionType = 'manual' | 'automatic' | 'retry' | 'skip' | 'modify' | 'abort';

export interface IncidentHistory {
  timestamp: string;
  action: IncidentAction;
  message: string;
  user?: string;
  details?: Record<string, unknown>;
}

export interface CorrectiveAction {
  action_type: string;
  description: string;
  applied_at: string;
  applied_by: string;
  success: boolean;
}

export interface IncidentResolution {
  resolved_by: string;
  resolved_at: string;
  resolution_type: ResolutionType;
  resolution_message: string;
  corrective_actions: CorrectiveAction[];
}

export interface Incident {
  id: string;
  process_instance_id: string;
  process_definition_id: string;
  incident_type: IncidentType;
  incident_message: string;
  activity_id?: string;
  activity_name?: string;
  execution_id?: string;
  cause_incident_id?: string;
  root_cause_incident_id?: string;
  configuration?: string;
  tenant_id?: string;
  assignee?: string;
  /** a note someone left on the incident */
  annotation?: string;
  created: string;
  status: IncidentStatus;
  history: IncidentHistory[];
  resolution?: IncidentResolution;
}

export interface MessageCorrelationResult {
  process_instance_id: string;
  activity_id: string;
}

export interface SignalResult {
  data: MessageCorrelationResult[];
}

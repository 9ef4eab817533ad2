// What the lists of jobs and incidents filter by.
import type { PageQuery } from './engine.js';
import type { IncidentStatus, IncidentType, Job } from './types.js';

export interface JobQuery extends PageQuery {
  id?: string;
  process_instance_id?: string;
  process_definition_id?: string;
  process_definition_key?: string;
  /** one type, or any of several */
  type?: Job['type'] | Job['type'][];
  /** true: only jobs whose retries are exhausted (they hold a failedJob incident) */
  failed?: boolean;
  activity_id?: string;
  /** true: only jobs whose last attempt failed, with its exception message; false: only the others */
  with_exception?: boolean;
  /** true: only jobs that may run now, with retries left and due */
  executable?: boolean;
  due_after?: string;
  due_before?: string;
  suspended?: boolean;
  tenant_id?: string;
}

export interface IncidentQuery extends PageQuery {
  id?: string;
  status?: IncidentStatus;
  incident_type?: IncidentType;
  incident_message?: string;
  process_instance_id?: string;
  process_definition_id?: string;
  process_definition_key?: string;
  execution_id?: string;
  activity_id?: string;
  /** the incidents this one caused, itself among them: an incident of no other cause is its own */
  cause_incident_id?: string;
  /** the incidents that go back to this one, itself among them */
  root_cause_incident_id?: string;
  /** what failed: the id of the job or external task */
  configuration?: string;
  tenant_id?: string;
  created_after?: string;
  created_before?: string;
}

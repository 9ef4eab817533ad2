// What the engine tells an embedder's instrumentation (the server binds it to Prometheus), and the
// figures it reads on demand. Every hook is optional; an engine given none pays nothing for them.

/** the Engine methods that change state, by the name instrumentation gives them */
export type CommandName =
  | 'deploy' | 'update_definition' | 'delete_definition' | 'set_definition_suspended' | 'delete_deployment'
  | 'start_instance' | 'terminate_instance' | 'modify_instance' | 'migrate_instances' | 'set_instance_suspended' | 'erase_instance_history' | 'remove_expired_history'
  | 'update_variables' | 'remove_variables'
  | 'claim_task' | 'unclaim_task' | 'assign_task' | 'delegate_task' | 'resolve_task' | 'complete_task'
  | 'fetch_and_lock' | 'complete_external_task' | 'fail_external_task' | 'bpmn_error_external_task' | 'extend_external_task_lock'
  | 'lock_external_task' | 'unlock_external_task' | 'set_external_task_retries'
  | 'execute_job' | 'set_job_retries' | 'set_job_due_date'
  | 'correlate_message' | 'broadcast_signal'
  | 'resolve_incident' | 'escalate_incident' | 'set_incident_annotation'
  | 'rotate_encryption_keys';

export type JobType = 'timer' | 'async' | 'service';

/** one run of a job by this engine (a run that found its job gone, not due or taken by another is none) */
export interface JobRun {
  type: JobType;
  /** its work done; or it failed, with retries left (it runs again later) or with none (it holds an incident) */
  outcome: 'completed' | 'retried' | 'failed';
  /** how long after its due time it began */
  late_seconds: number;
  /** how long it ran */
  seconds: number;
}

/** an event a command committed, as instrumentation counts it */
export interface CommittedEvent {
  /** `process_manager.instance.started` … */
  type: string;
  process_definition_key: string | null;
  /** for `process_manager.incident.created` */
  incident_type?: string;
}

export interface EngineObserver {
  /** a command of the Engine API returned (failed: it threw) after `seconds` */
  command?(name: CommandName, seconds: number, failed: boolean): void;
  /** a transaction holding `size` commands (group commit) is about to run */
  transaction?(size: number): void;
  /** what one command's commit wrote to the outbox; called after the commit */
  eventsCommitted?(events: readonly CommittedEvent[]): void;
  /** a job's run ended */
  jobRan?(run: JobRun): void;
}

/** the backlog of one event sink */
export interface SinkBacklog {
  /** events committed and not yet acknowledged by the sink */
  waiting: number;
  /** seconds since the oldest of them was committed; 0 with none waiting */
  lag_seconds: number;
}

/** the engine's state as a whole, read from the database (every engine process sees the same) */
export interface EngineGauges {
  /** running and suspended instances */
  active_instances: number;
  open_tasks: number;
  open_incidents: Record<string, number>;
  /** due now, with retries left, not suspended, held by no worker */
  jobs_due: number;
  /** service calls under way: locked by a worker whose lock has not expired */
  jobs_running: number;
  /** with no retries left, holding an incident */
  jobs_failed: number;
  /** per sink (`redis`, `event_manager`) this engine delivers to */
  outbox: Record<string, SinkBacklog>;
}

// Everything one command may change about one process instance, as plain rows. Commands load it,
// the interpreter changes it in memory, and the writer stores the difference in the same transaction.
import type { ProcessModel } from '../model/index.js';
import type { NewRow, Row } from '../persistence/database.js';
import { TrackedTable } from './tracked-table.js';

export interface DefinitionInfo {
  id: string;
  key: string;
  name: string;
  version: number;
  tenant_id: string | null;
}

export type InstanceRow = Row<'process_instances'>;
export type ExecutionRow = Row<'executions'>;
export type VariableRow = Row<'process_variables'>;
export type TaskRow = Row<'tasks'>;
export type IdentityLinkRow = Row<'task_identity_links'>;
export type ExternalTaskRow = Row<'external_tasks'>;
export type JobRow = Row<'jobs'>;
export type SubscriptionRow = Row<'event_subscriptions'>;
export type IncidentRow = Row<'incidents'>;
export type ActivityInstanceRow = Row<'activity_instances'>;

export class InstanceState {
  readonly isNew: boolean;
  readonly #originalInstance: string | undefined;
  readonly executions = new TrackedTable<ExecutionRow>();
  readonly variables = new TrackedTable<VariableRow>();
  /** open tasks, and the ones this command completes or cancels */
  readonly tasks = new TrackedTable<TaskRow>();
  /** the identity links of the tasks this command creates: a task's candidates are read from its own row */
  readonly identityLinks = new TrackedTable<IdentityLinkRow>();
  readonly externalTasks = new TrackedTable<ExternalTaskRow>();
  readonly subscriptions = new TrackedTable<SubscriptionRow>();
  readonly jobs = new TrackedTable<JobRow>();
  /** open incidents, and the ones this command resolves */
  readonly incidents = new TrackedTable<IncidentRow>();
  /** open activity instances, and the ones this command ends */
  readonly activityInstances = new TrackedTable<ActivityInstanceRow>();
  readonly incidentHistory: NewRow<'incident_history'>[] = [];
  readonly auditLog: NewRow<'audit_log'>[] = [];
  readonly outbox: NewRow<'outbox'>[] = [];
  /** the decisions its business rule tasks evaluated (decision history, at history level full) */
  readonly decisionInstances: NewRow<'decision_instances'>[] = [];

  #definition: DefinitionInfo;
  #model: ProcessModel;

  constructor(
    readonly instance: InstanceRow,
    definition: DefinitionInfo,
    model: ProcessModel,
    options: { isNew: boolean },
  ) {
    this.#definition = definition;
    this.#model = model;
    this.isNew = options.isNew;
    this.#originalInstance = options.isNew ? undefined : JSON.stringify(instance);
  }

  get definition(): DefinitionInfo {
    return this.#definition;
  }

  get model(): ProcessModel {
    return this.#model;
  }

  /** a migration: from here on the instance runs the other definition */
  moveTo(definition: DefinitionInfo, model: ProcessModel): void {
    this.#definition = definition;
    this.#model = model;
  }

  get instanceChanged(): boolean {
    return this.isNew || this.#originalInstance !== JSON.stringify(this.instance);
  }

  get isEnded(): boolean {
    return this.instance.end_time !== null;
  }

  nextSeq(): number {
    this.instance.sequence_counter += 1;
    return this.instance.sequence_counter;
  }
}

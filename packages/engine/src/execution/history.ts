// Rows that record what happened: activity instances (the execution path), audit entries and
// outbox events, written at the history level the engine runs with.
import type { HistoryLevel } from '../api/engine.js';
import { activityPerformance } from '../events/activity-performance.js';
import type { FlowNode } from '../model/index.js';
import type { ValueMasking } from '../protection/mask.js';
import type { NewRow } from '../persistence/database.js';
import { newId } from '../util/ids.js';
import type { ActivityInstanceRow, ExecutionRow, IncidentRow, InstanceState } from './instance-state.js';
import { activeTraceparent } from '../observability/tracing.js';

export interface HistoryOptions {
  historyLevel: HistoryLevel;
  now: () => Date;
  /** a process_manager.analytics.performance event as each activity instance ends */
  performanceEvents?: boolean;
  /** protected values hidden in events; absent when none is protected */
  masking?: ValueMasking;
}

export class History {
  private readonly level: HistoryLevel;
  private readonly now: () => Date;
  /** the performance events of activity instances ended in this command, in case one is reopened */
  readonly #performance = new Map<string, NewRow<'outbox'>>();

  constructor(private readonly state: InstanceState, private readonly options: HistoryOptions) {
    this.level = options.historyLevel;
    this.now = options.now;
  }

  /** a loop's body gets its own type (`bodyType`) and is no step of the execution path */
  startActivity(token: ExecutionRow, node: FlowNode, transitionId: string | null, parentActivityInstanceId: string | null, bodyType?: string): ActivityInstanceRow {
    return this.state.activityInstances.add({
      id: newId(),
      process_instance_id: this.state.instance.id,
      process_definition_id: this.state.definition.id,
      process_definition_key: this.state.definition.key,
      seq: this.state.nextSeq(),
      execution_id: token.id,
      parent_activity_instance_id: parentActivityInstanceId,
      activity_id: node.id,
      activity_name: node.name || null,
      activity_type: bodyType ?? node.kind,
      transition_id: transitionId,
      status: 'active',
      start_time: this.now(),
      end_time: null,
      duration: null,
      assignee: null,
      task_id: null,
      called_process_instance_id: null,
      in_path: bodyType === undefined,
    });
  }

  endActivity(activityInstanceId: string | null, status: 'completed' | 'cancelled'): void {
    const row = activityInstanceId ? this.state.activityInstances.get(activityInstanceId) : undefined;
    if (!row || row.end_time) return;
    const end = this.now();
    row.end_time = end;
    row.duration = end.getTime() - new Date(row.start_time).getTime();
    row.status = status;
    if (this.options.performanceEvents) {
      const started = new Date(this.state.instance.start_time).getTime();
      this.#performance.set(row.id, this.event('process_manager.analytics.performance', activityPerformance(row, end.getTime() - started)));
    }
  }

  /** the activity instance had not ended after all: open again, as it was before endActivity */
  reopenActivity(activityInstanceId: string | null): void {
    const row = this.activity(activityInstanceId);
    if (!row) return;
    row.end_time = null;
    row.duration = null;
    const performance = this.#performance.get(row.id);
    if (performance) this.state.outbox.splice(this.state.outbox.indexOf(performance), 1);
    this.#performance.delete(row.id);
  }

  activity(activityInstanceId: string | null): ActivityInstanceRow | undefined {
    return activityInstanceId ? this.state.activityInstances.get(activityInstanceId) : undefined;
  }

  audit(entry: { operation: string; user_id?: string | null; task_id?: string | null; activity_id?: string | null;
    activity_name?: string | null; activity_type?: string | null; execution_id?: string | null; assignee?: string | null;
    property?: string | null; org_value?: string | null; new_value?: string | null }): void {
    if (this.level !== 'audit' && this.level !== 'full') return;
    this.state.auditLog.push({
      id: newId(), timestamp: this.now(), process_instance_id: this.state.instance.id,
      process_definition_id: this.state.definition.id, process_definition_key: this.state.definition.key,
      tenant_id: this.state.instance.tenant_id, removal_time: null,
      execution_id: null, task_id: null, activity_id: null, activity_name: null, activity_type: null, assignee: null,
      user_id: null, property: null, org_value: null, new_value: null,
      ...entry,
    });
  }

  /**
   * The incident is resolved: its row says how, by whom and why (`message`, kept on the row), and its
   * history (`said`) and the event say so too.
   */
  resolved(incident: IncidentRow, how: { type: string; said: string; by?: string | null; message?: string | null }): void {
    const by = how.by ?? null;
    Object.assign(incident, { status: 'resolved', resolved_at: this.now(), resolved_by: by, resolution_type: how.type, resolution_message: how.message ?? null });
    this.incidentAction(incident.id, 'resolved', how.said, by, { resolution_type: how.type });
  }

  incidentAction(incidentId: string, action: string, message: string, userId: string | null = null, details?: Record<string, unknown>): void {
    this.state.incidentHistory.push({
      id: newId(), incident_id: incidentId, timestamp: this.now(), action, message, user_id: userId,
      details: details ? JSON.stringify(details) : null,
    });
    const incident = this.state.incidents.get(incidentId);
    if (action === 'resolved' && incident) {
      this.event('process_manager.incident.resolved', {
        incident_id: incidentId, instance_id: this.state.instance.id, incident_type: incident.incident_type,
        activity_id: incident.activity_id, resolution_type: incident.resolution_type, resolved_by: userId ?? undefined, message,
      });
    }
  }

  /**
   * a process_manager.* event, published after commit; its id, tenant and instance are added as it is
   * published (events/published-event.ts). It is stored with its protected variables masked: nobody is
   * shown an event's values decrypted.
   */
  event(type: string, payload: Record<string, unknown>): NewRow<'outbox'> {
    const { instance, definition } = this.state;
    const masked = this.options.masking ? this.options.masking.maskEvent(payload) : payload;
    const row = outboxRow(type, masked, this.now(), { process_instance_id: instance.id, tenant_id: instance.tenant_id, process_definition_key: definition.key });
    this.state.outbox.push(row);
    return row;
  }
}

/** an outbox row of one event; `of` says which instance, tenant and process it concerns */
export function outboxRow(type: string, payload: Record<string, unknown>, timestamp: Date,
  of: { process_instance_id: string | null; tenant_id: string | null; process_definition_key: string | null }): NewRow<'outbox'> {
  return {
    id: newId(), type, ...of, created_at: timestamp, published_at: null, trace_parent: activeTraceparent(),
    payload: JSON.stringify({ ...payload, timestamp: timestamp.toISOString() }),
  };
}

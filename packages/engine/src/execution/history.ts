// Rows that record what happened: activity instances (the execution path), audit entries and
// outbox events, written at the history level the engine runs with.
import type { HistoryLevel } from '../api/engine.js';
import type { FlowNode } from '../model/index.js';
import type { ValueMasking } from '../protection/mask.js';
import { newId } from '../util/ids.js';
import type { ActivityInstanceRow, ExecutionRow, InstanceState } from './instance-state.js';

export class History {
  constructor(
    private readonly state: InstanceState,
    private readonly level: HistoryLevel,
    private readonly now: () => Date,
    private readonly masking?: ValueMasking,
  ) {}

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
  }

  /** the activity instance had not ended after all: open again, as it was before endActivity */
  reopenActivity(activityInstanceId: string | null): void {
    const row = this.activity(activityInstanceId);
    if (!row) return;
    row.end_time = null;
    row.duration = null;
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

  incidentAction(incidentId: string, action: string, message: string, userId: string | null = null, details?: Record<string, unknown>): void {
    this.state.incidentHistory.push({
      id: newId(), incident_id: incidentId, timestamp: this.now(), action, message, user_id: userId,
      details: details ? JSON.stringify(details) : null,
    });
  }

  /**
   * a process_manager.* event, published after commit. It is stored as it is published, its protected
   * variables masked: nobody is shown an event's values decrypted.
   */
  event(type: string, payload: Record<string, unknown>): void {
    if (this.masking) payload = this.masking.maskEvent(payload);
    const id = newId();
    const timestamp = this.now();
    this.state.outbox.push({
      id, type, process_instance_id: this.state.instance.id, created_at: timestamp, published_at: null,
      payload: JSON.stringify({ id, type, ...payload, timestamp: timestamp.toISOString() }),
    });
  }
}

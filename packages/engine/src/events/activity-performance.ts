// The payload of process_manager.analytics.performance, sent as an activity instance ends. Of the seed's
// PerformanceMetrics only what one activity instance knows at its end is filled in: its own cycle time,
// the instance's lead time so far, and whether a person did the work. Rates over time, quality and
// resources are the analytics endpoints' business.
import type { ActivityInstanceRow } from '../execution/instance-state.js';

/** activity types a person works; every other activity is automated */
const HUMAN = new Set(['userTask', 'manualTask']);

export function activityPerformance(row: ActivityInstanceRow, leadTime: number): Record<string, unknown> {
  return {
    process_definition_key: row.process_definition_key,
    instance_id: row.process_instance_id,
    activity_id: row.activity_id,
    activity_instance_id: row.id,
    activity_type: row.activity_type,
    end_state: row.status,
    performance_metrics: {
      efficiency: { cycle_time: row.duration, lead_time: leadTime, automation_rate: HUMAN.has(row.activity_type) ? 0 : 1 },
    },
  };
}

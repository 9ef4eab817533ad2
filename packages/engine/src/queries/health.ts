// The workload figures /health reports: the gauges' counts, summed as the seed's health shape has them.
import type { QueryContext } from './query-context.js';
import { workloadGauges } from './gauges.js';

export interface HealthCounts {
  /** running instances, suspended ones included: they still hold work */
  active_instances: number;
  /** open user tasks */
  pending_tasks: number;
  open_incidents: number;
}

export async function healthCounts(ctx: QueryContext): Promise<HealthCounts> {
  const gauges = await workloadGauges(ctx);
  return {
    active_instances: gauges.active_instances,
    pending_tasks: gauges.open_tasks,
    open_incidents: Object.values(gauges.open_incidents).reduce((sum, n) => sum + n, 0),
  };
}

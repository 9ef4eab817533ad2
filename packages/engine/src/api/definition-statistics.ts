// What Camunda's process definition and activity statistics count: the figures a monitoring dashboard and
// the overlays of a diagram show.
import type { ProcessDefinition } from './types.js';

/** Which counts beyond the running instances to take; without any, failed_jobs is 0 and incidents is empty. */
export interface StatisticsCounts {
  /** count the jobs with no retries left */
  failed_jobs?: boolean;
  /** count the open incidents, per type */
  incidents?: boolean;
  /** count only the open incidents of this type */
  incident_type?: string;
  /** count only the open incidents that are their own root cause */
  root_incidents?: boolean;
}

export interface IncidentCount {
  incident_type: string;
  count: number;
}

interface Counts {
  instances: number;
  failed_jobs: number;
  incidents: IncidentCount[];
}

/** One version of a definition; `instances` are its running (active or suspended) instances. */
export interface DefinitionStatistics extends Counts {
  definition: ProcessDefinition;
}

/** One activity of a version; `instances` are its open activity instances that hold no open one within them. */
export interface ActivityStatistics extends Counts {
  activity_id: string;
}

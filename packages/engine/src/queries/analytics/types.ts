// Wire types of the analytics endpoints. ProcessStatistics and its parts are the seed's models; the seed
// names TrendAnalysis without defining it, and gives no shape for task statistics, performance and
// bottleneck answers, so those are defined here. Durations are milliseconds, rates fractions in 0..1.

export interface StatisticsPeriod {
  start_date: string;
  end_date: string;
  timezone: string;
}

/** Instances, tasks and incidents that began inside the period, each in the state it has now. */
export interface ProcessSummary {
  total_instances: number;
  active_instances: number;
  completed_instances: number;
  /** ended by a terminate request or on behalf of another instance */
  terminated_instances: number;
  suspended_instances: number;
  /** of the completed instances */
  average_duration: number;
  median_duration: number;
  total_tasks: number;
  completed_tasks: number;
  open_tasks: number;
  /** open tasks past their due date */
  overdue_tasks: number;
  incidents: number;
  resolved_incidents: number;
}

export type BottleneckSeverity = 'low' | 'medium' | 'high' | 'critical';

export interface ProcessBottleneck {
  activity_id: string;
  activity_name: string;
  /** mean time a token spent at the activity; tokens still there count up to now */
  average_wait_time: number;
  /** process instances that reached the activity */
  instances_affected: number;
  severity: BottleneckSeverity;
}

export interface ProcessStats {
  process_definition_key: string;
  process_definition_name: string;
  instances: number;
  active_instances: number;
  completed_instances: number;
  average_duration: number;
  /** completed / ended instances */
  success_rate: number;
  tasks: number;
  completed_tasks: number;
  open_tasks: number;
  bottlenecks: ProcessBottleneck[];
}

export interface DailyStats {
  /** YYYY-MM-DD, UTC */
  date: string;
  /** started that day */
  instances: number;
  /** completed that day */
  completed_instances: number;
  /** of the instances completed that day */
  average_duration: number;
  tasks_completed: number;
  incidents: number;
}

export interface ThroughputMetrics {
  instances_per_hour: number;
  tasks_per_hour: number;
  /** the UTC hour of day in which most instances started, `HH:00`; empty when none started */
  peak_load_time: string;
  capacity_utilization: number;
}

export interface EfficiencyMetrics {
  cycle_time: number;
  lead_time: number;
  processing_time: number;
  wait_time: number;
  automation_rate: number;
}

export interface QualityMetrics {
  first_pass_yield: number;
  rework_rate: number;
  error_rate: number;
  sla_compliance: number;
}

export interface ResourceUtilization {
  /** user → user tasks that user completed in the period */
  human_resources: Record<string, number>;
  /** activity type → automated activity instances completed in the period */
  system_resources: Record<string, number>;
  cost_per_instance: number;
}

export interface PerformanceMetrics {
  throughput: ThroughputMetrics;
  efficiency: EfficiencyMetrics;
  quality: QualityMetrics;
  resource_utilization: ResourceUtilization;
}

export interface TrendFigure {
  current: number;
  previous: number;
  /** current − previous */
  change: number;
  /** change relative to previous; absent when previous is 0 */
  change_rate?: number;
}

/** The period against the one of equal length just before it. */
export interface TrendAnalysis {
  previous_period: StatisticsPeriod;
  instances: TrendFigure;
  completed_instances: TrendFigure;
  average_duration: TrendFigure;
  incidents: TrendFigure;
  completed_tasks: TrendFigure;
}

export interface ProcessStatistics {
  period: StatisticsPeriod;
  summary: ProcessSummary;
  by_process: ProcessStats[];
  by_day: DailyStats[];
  performance_metrics: PerformanceMetrics;
  trend_analysis: TrendAnalysis;
}

/** Task figures of a group of tasks created in the period. */
export interface TaskFigures {
  total: number;
  open: number;
  completed: number;
  cancelled: number;
  overdue: number;
  unassigned: number;
  /** created → completed, of the completed ones */
  average_completion_time: number;
}

export interface TaskStatistics extends TaskFigures {
  period: StatisticsPeriod;
  by_assignee: (TaskFigures & { assignee: string })[];
  by_task: (TaskFigures & { process_definition_key: string; task_definition_key: string; name: string })[];
}

export interface PerformanceReport {
  period: StatisticsPeriod;
  performance_metrics: PerformanceMetrics;
}

export interface BottleneckReport {
  period: StatisticsPeriod;
  bottlenecks: (ProcessBottleneck & { process_definition_key: string })[];
}

// The wire types the UI reads are the engine's own API types: type-only, nothing of the engine is bundled.
export type {
  Activity, AuditEntry, BottleneckReport, CurrentActivity, DailyStats, DecisionDeploymentResult, DecisionInstance, DeploymentResult, ExecutionPath, FormField, Incident,
  MigrationPlan, MigrationResult, Page, ProcessDefinition, ProcessInstance, ProcessInstanceDetails, ProcessStatistics, ProcessVariable, TaskDetails, VariableType,
} from '@dadms/process-engine';

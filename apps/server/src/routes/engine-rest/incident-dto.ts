// What Camunda 7's runtime incident (IncidentDto) and its historic incident (HistoricIncidentDto) say
// alike of an incident, from the engine's incident, which is both.
import type { Incident } from '@dadms/process-engine';

export function incidentFields(incident: Incident) {
  return {
    id: incident.id,
    processDefinitionId: incident.process_definition_id || null,
    processInstanceId: incident.process_instance_id || null,
    executionId: incident.execution_id ?? null,
    incidentType: incident.incident_type,
    activityId: incident.activity_id ?? null,
    failedActivityId: incident.activity_id ?? null,
    // Camunda names an incident that has no cause as its own cause
    causeIncidentId: incident.cause_incident_id ?? incident.id,
    rootCauseIncidentId: incident.root_cause_incident_id ?? incident.id,
    configuration: incident.configuration ?? null,
    incidentMessage: incident.incident_message || null,
    tenantId: incident.tenant_id ?? null,
    // the engine has no job definitions
    jobDefinitionId: null,
    annotation: incident.annotation ?? null,
  };
}

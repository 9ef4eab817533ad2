// Camunda 7's runtime incident query (`/incident` and its count) on the engine's incident list: only the
// open incidents, as Camunda's runtime holds no others (the resolved ones are in `/history/incident`).
import type { Incident, IncidentQuery, IncidentType } from '@dadms/process-engine';
import { given, onlyValue, singleTenant } from '../camunda-query.js';
import { fromCamundaTime, inclusiveBefore as nextMillisecond } from '../history/query.js';
import type { HistoryResource } from '../history/resource.js';
import { incidentFields } from '../incident-dto.js';
import { noRows } from '../lists.js';
import { camundaDate } from '../typed-values.js';

export interface CamundaIncidentQuery {
  incidentId?: string | null;
  incidentType?: string | null;
  incidentMessage?: string | null;
  processDefinitionId?: string | null;
  processDefinitionKeyIn?: string | string[] | null;
  processInstanceId?: string | null;
  executionId?: string | null;
  activityId?: string | null;
  failedActivityId?: string | null;
  causeIncidentId?: string | null;
  rootCauseIncidentId?: string | null;
  configuration?: string | null;
  tenantIdIn?: string | string[] | null;
  incidentTimestampBefore?: string | null;
  incidentTimestampAfter?: string | null;
}

const SORTABLE = { incidentTimestamp: 'created', incidentType: 'incident_type', activityId: 'activity_id' };
/** with no sort asked, the oldest first, as Camunda's ids give them */
const DEFAULT_SORT = 'created';

/** the query as the engine's incident filters; undefined when it cannot match, naming two activities for the one an incident has */
function engineIncidentFilters(query: CamundaIncidentQuery): IncidentQuery | undefined {
  // the engine keeps one activity of an incident, where it failed: Camunda's activityId and failedActivityId alike
  const { activityId, failedActivityId } = query;
  if (activityId != null && failedActivityId != null && activityId !== failedActivityId) return undefined;
  return given<IncidentQuery>({
    status: 'open', id: query.incidentId, incident_type: query.incidentType as IncidentType | null | undefined, incident_message: query.incidentMessage,
    process_definition_id: query.processDefinitionId, process_definition_key: onlyValue('processDefinitionKeyIn', query.processDefinitionKeyIn),
    process_instance_id: query.processInstanceId, execution_id: query.executionId, activity_id: activityId ?? failedActivityId,
    cause_incident_id: query.causeIncidentId, root_cause_incident_id: query.rootCauseIncidentId, configuration: query.configuration,
    tenant_id: singleTenant(query.tenantIdIn), created_before: fromCamundaTime('incidentTimestampBefore', query.incidentTimestampBefore),
    // Camunda's `…After` leaves out the time itself, the engine's does not
    created_after: nextMillisecond(fromCamundaTime('incidentTimestampAfter', query.incidentTimestampAfter)),
  });
}

/** the incident as Camunda's IncidentDto */
export const camundaIncident = (incident: Incident) => ({ ...incidentFields(incident), incidentTimestamp: camundaDate(incident.created) });

const INCIDENT = {
  id: 'string', processDefinitionId: 'string', processInstanceId: 'string', executionId: 'string', incidentTimestamp: 'date', incidentType: 'string',
  activityId: 'string', failedActivityId: 'string', causeIncidentId: 'string', rootCauseIncidentId: 'string', configuration: 'string',
  incidentMessage: 'string', tenantId: 'string', jobDefinitionId: 'string', annotation: 'string',
} as const;

export const incidentResource: HistoryResource<CamundaIncidentQuery, Incident> = {
  path: '/incident', permission: 'incidents:read', post: false,
  what: 'incident',
  about: 'As Camunda 7\'s runtime incident query: the open incidents, oldest first. `processDefinitionKeyIn` and `tenantIdIn` take one value; ' +
    '`sortBy` incidentTimestamp, incidentType or activityId. `incidentMessageLike` and `jobDefinitionIdIn` (the engine has no job definitions) are a 400.',
  filters: {
    served: {
      incidentId: 'string', incidentType: 'string', incidentMessage: 'string', processDefinitionId: 'string', processDefinitionKeyIn: 'list',
      processInstanceId: 'string', executionId: 'string', activityId: 'string', failedActivityId: 'string', causeIncidentId: 'string',
      rootCauseIncidentId: 'string', configuration: 'string', tenantIdIn: 'list', incidentTimestampBefore: 'time', incidentTimestampAfter: 'time',
    },
    unsupported: ['incidentMessageLike', 'jobDefinitionIdIn'],
  },
  fields: INCIDENT,
  rows: (engine, _reads, query) => {
    const filters = engineIncidentFilters(query);
    return { list: filters ? ({ sort = DEFAULT_SORT, ...page }) => engine.listIncidents({ ...filters, ...page, sort }) : noRows, sortable: SORTABLE };
  },
  answer: (_reads, incident) => camundaIncident(incident),
};

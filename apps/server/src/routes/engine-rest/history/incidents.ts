// Camunda's historic incidents (`/history/incident`) on the engine's incident list, which keeps resolved and
// deleted incidents beside the open ones, each with its history.
import { EngineError, type Engine, type Incident, type IncidentQuery, type IncidentStatus, type IncidentType } from '@dadms/process-engine';
import { incidentFields } from '../incident-dto.js';
import type { HistoryReads } from './reads.js';
import type { ListRead } from '../lists.js';
import { isSet, present } from './query.js';
import type { HistoryResource } from './resource.js';
import { HISTORIC_INCIDENT } from './schemas.js';
import { camundaDate } from '../typed-values.js';

export interface HistoricIncidentQuery {
  processInstanceId?: string | null;
  processDefinitionId?: string | null;
  incidentType?: string | null;
  activityId?: string | null;
  open?: boolean | null;
  resolved?: boolean | null;
  deleted?: boolean | null;
}

const UNSUPPORTED_FILTERS = [
  'incidentId', 'incidentMessage', 'incidentMessageLike', 'processDefinitionKey', 'processDefinitionKeyIn', 'executionId', 'createTimeBefore',
  'createTimeAfter', 'endTimeBefore', 'endTimeAfter', 'failedActivityId', 'causeIncidentId', 'rootCauseIncidentId', 'configuration',
  'historyConfiguration', 'tenantIdIn', 'withoutTenantId', 'jobDefinitionIdIn',
] as const;

const SORTABLE = { createTime: 'created', incidentType: 'incident_type', activityId: 'activity_id' };
/** with no sort asked, the oldest first, as Camunda's ids give them */
const DEFAULT_SORT = 'created';
const STATES: readonly IncidentStatus[] = ['open', 'resolved', 'deleted'];

function historicIncidentList(engine: Engine, query: HistoricIncidentQuery): ListRead<Incident> {
  const states = STATES.filter((state) => isSet(query[state]));
  if (states.length > 1) throw new EngineError('VALIDATION_ERROR', `Already querying for incident state <${states[0]}>`);
  const filters: IncidentQuery = {
    process_instance_id: present(query.processInstanceId), process_definition_id: present(query.processDefinitionId),
    incident_type: present(query.incidentType) as IncidentType | undefined, activity_id: present(query.activityId), status: states[0],
  };
  return ({ sort = DEFAULT_SORT, ...page }) => engine.listIncidents({ ...filters, ...page, sort });
}

/** when the incident ended: its resolution, or the entry of its history that deleted it */
function endOf(incident: Incident): string | undefined {
  if (incident.status === 'resolved') return incident.resolution?.resolved_at;
  if (incident.status === 'deleted') return incident.history.filter((entry) => entry.action === 'deleted').at(-1)?.timestamp;
  return undefined;
}

/** the incident as Camunda's HistoricIncidentDto */
async function historicIncident(reads: HistoryReads, incident: Incident) {
  const [definition, root] = await Promise.all([
    incident.process_definition_id ? reads.definition(incident.process_definition_id) : undefined,
    incident.process_instance_id ? reads.root(incident.process_instance_id) : undefined,
  ]);
  const end = endOf(incident);
  return {
    ...incidentFields(incident),
    processDefinitionKey: definition?.key ?? null,
    rootProcessInstanceId: root?.id ?? null,
    createTime: camundaDate(incident.created),
    endTime: end ? camundaDate(end) : null,
    removalTime: root?.removal_time ? camundaDate(root.removal_time) : null,
    historyConfiguration: null,
    open: incident.status === 'open',
    deleted: incident.status === 'deleted',
    resolved: incident.status === 'resolved',
  };
}

export const incidentHistory: HistoryResource<HistoricIncidentQuery, Incident> = {
  path: '/incident', permission: 'incidents:read', post: false,
  what: 'historic incident',
  about: 'As Camunda 7\'s `/history/incident`: incidents open, resolved and deleted; one of `open`, `resolved`, `deleted` at a time. ' +
    '`sortBy` createTime, incidentType or activityId. Other filters are a 400.',
  filters: {
    served: {
      processInstanceId: 'string', processDefinitionId: 'string', incidentType: 'string', activityId: 'string', open: 'boolean', resolved: 'boolean',
      deleted: 'boolean',
    },
    unsupported: UNSUPPORTED_FILTERS,
  },
  fields: HISTORIC_INCIDENT,
  rows: (engine, _reads, query) => ({ list: historicIncidentList(engine, query), sortable: SORTABLE }),
  answer: historicIncident,
};

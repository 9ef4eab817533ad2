// The requests and answers of Camunda 7's process definition statistics.
import { camundaErrors, flag, tags, text } from '../query-schemas.js';
import { definitionDto, paramsOf } from './definition-schemas.js';

const incidents = {
  type: 'array',
  items: { type: 'object', required: ['incidentType', 'incidentCount'], properties: { incidentType: text, incidentCount: { type: 'integer' } } },
};

const counted = { '@class': text, id: text, instances: { type: 'integer' }, failedJobs: { type: 'integer' }, incidents };

const FLAGS =
  '`failedJobs=true` counts the jobs with no retries left (else 0); `incidents=true` the open incidents by type, `incidentsForType` ' +
  'those of one type (else none): at most one of the incident options, else a 400.';

export const definitionStatisticsSchema = {
  tags,
  summary: 'Statistics of every process definition version (Camunda 7)',
  description: `Every version, with its running instances, those without any too. ${FLAGS} \`rootIncidents=true\` counts only the incidents that are their own cause.`,
  querystring: { type: 'object', properties: { failedJobs: flag, incidents: flag, incidentsForType: text, rootIncidents: flag } },
  response: {
    200: {
      description: 'as ProcessDefinitionStatisticsResultDto',
      type: 'array',
      items: { type: 'object', required: ['id', 'instances', 'failedJobs', 'incidents', 'definition'], properties: { ...counted, definition: definitionDto } },
    },
    ...camundaErrors(400),
  },
};

export const activityStatisticsSchema = (path: string) => ({
  tags,
  summary: 'Statistics of the activities of a process definition version (Camunda 7)',
  description:
    'Per activity, the activity instances waiting there (not those of a sub-process around others) and, when asked, its failures. ' +
    `${FLAGS} An unknown id answers an empty list, as Camunda's; a key without a version a 404.`,
  params: paramsOf(path),
  querystring: { type: 'object', properties: { failedJobs: flag, incidents: flag, incidentsForType: text } },
  response: {
    200: { description: 'as ActivityStatisticsResultDto', type: 'array', items: { type: 'object', required: ['id', 'instances', 'failedJobs', 'incidents'], properties: counted } },
    ...camundaErrors(400, 404),
  },
});

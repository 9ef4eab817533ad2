import { body, errorResponses, idParams, listQuery, name255, optionalBody, page, ref, str } from '../shared-schemas.js';

const tags = ['incidents'];
const incidentAnswer = (description: string) => ({ 200: { description, ...ref('Incident') } });
const INCIDENT_TYPES = ['failedJob', 'failedExternalTask', 'unhandledBpmnError', 'conditionError', 'failedInstruction'];

export const listSchema = {
  tags,
  summary: 'List incidents',
  querystring: listQuery({
    status: { enum: ['open', 'resolved', 'deleted'] }, incident_type: { enum: INCIDENT_TYPES },
    process_instance_id: str, process_definition_id: str, activity_id: name255,
  }),
  response: { 200: page('Incident'), ...errorResponses(400) },
};

export const getSchema = {
  tags,
  summary: 'One incident with its history',
  params: idParams,
  response: { ...incidentAnswer('the incident'), ...errorResponses(404) },
};

export const resolveSchema = {
  tags,
  summary: 'Resolve an incident',
  description:
    '`retry` runs the failed work again with fresh retries; `skip` leaves the activity as if it had completed; ' +
    '`abort` terminates the instance; `manual` marks it resolved. A resolved incident answers 409.',
  params: idParams,
  body: body({
    resolution_type: { enum: ['retry', 'skip', 'manual', 'abort'] }, resolution_message: str,
    resolved_by: name255, variables: ref('VariablesInput'),
  }, ['resolution_type']),
  response: { ...incidentAnswer('the resolved incident'), ...errorResponses(400, 404, 409) },
};

export const escalateSchema = {
  tags,
  summary: 'Escalate an incident',
  params: idParams,
  body: optionalBody({ message: str, assignee: name255, user_id: name255 }),
  response: { ...incidentAnswer('the escalated incident'), ...errorResponses(400, 404, 409) },
};

// The requests and answers of Camunda 7's `/job/{id}` and `/incident/{id}` endpoints; the lists' own come
// with their resources (history/schemas.ts).
import { idParams, noContent } from '../../shared-schemas.js';
import { historySchemas } from '../history/schemas.js';
import { camundaErrors as errors, orNull, tags } from '../query-schemas.js';
import { incidentResource } from './incidents.js';
import { jobResource } from './jobs.js';

export const jobSchema = {
  ...historySchemas(jobResource).one,
  description: 'A job that ran (or never was) answers 404 `Job with id … does not exist`.',
};

export const retriesSchema = {
  tags,
  summary: 'Set the retries of a job (Camunda 7)',
  description:
    'As Camunda 7\'s `PUT /job/{id}/retries`: 204; retries above 0 let a failed job run again and resolve its failedJob incident. ' +
    'A job that does not exist and a negative count are a 500 InvalidRequestException, as in Camunda; `dueDate` is a 400: the engine keeps the due time.',
  params: idParams,
  body: {
    type: 'object', additionalProperties: false, required: ['retries'],
    properties: { retries: { type: 'integer' }, dueDate: orNull({ type: 'string' }) },
  },
  response: { ...noContent, ...errors(400, 500) },
};

export const dueDateSchema = {
  tags,
  summary: 'Set the due date of a job (Camunda 7)',
  description:
    'As Camunda 7\'s `PUT /job/{id}/duedate`: 204; the job runs at its new time (`duedate` null: at once) and not at its old one. ' +
    'A job that does not exist is a 500 InvalidRequestException, as in Camunda; a date that is none, 400. `cascade: true` is a 400: ' +
    'the engine keeps no offset for a timer cycle\'s later firings (they follow the firing before them).',
  params: idParams,
  body: {
    type: 'object', additionalProperties: false, required: ['duedate'],
    properties: { duedate: orNull({ type: 'string' }), cascade: orNull({ type: 'boolean' }) },
  },
  response: { ...noContent, ...errors(400, 500) },
};

export const executeSchema = {
  tags,
  summary: 'Run a job now (Camunda 7)',
  description:
    'As Camunda 7\'s `POST /job/{id}/execute`: 204 once the instance has moved on, whatever the job\'s due time. A job that fails ' +
    'counts the attempt against its retries and answers 500 RestException with its error; one that does not exist, 404. ' +
    'A suspended job (or one of a suspended instance) does not run: 400.',
  params: idParams,
  response: { ...noContent, ...errors(400, 404, 500) },
};

export const incidentSchema = {
  ...historySchemas(incidentResource).one,
  description: 'An incident that is resolved, deleted or unknown answers 404 `No matching incident with id …`, as Camunda\'s runtime no longer has it.',
};

const annotationDescription = 'As Camunda 7: 204; an incident that is not open (or unknown) is a 400 BadUserRequestException `incident is null`.';

export const setAnnotationSchema = {
  tags,
  summary: 'Set the annotation of an incident (Camunda 7)',
  description: `${annotationDescription} A null annotation clears it.`,
  params: idParams,
  body: { type: 'object', additionalProperties: false, properties: { annotation: orNull({ type: 'string', maxLength: 4000 }) } },
  response: { ...noContent, ...errors(400) },
};

export const clearAnnotationSchema = {
  tags, summary: 'Clear the annotation of an incident (Camunda 7)', description: annotationDescription, params: idParams, response: { ...noContent, ...errors(400) },
};

export const resolveSchema = {
  tags,
  summary: 'Resolve a custom incident (Camunda 7)',
  description:
    'As Camunda 7\'s `DELETE /incident/{id}`: 204, the incident resolved and the token left where it is. Incidents of type failedJob ' +
    'and failedExternalTask are a 400 (new retries resolve them); an incident that is not open, a 404.',
  params: idParams,
  response: { ...noContent, ...errors(400, 404) },
};

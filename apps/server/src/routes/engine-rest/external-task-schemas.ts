// The requests and answers of Camunda 7's external task runtime resource: the query (GET's query string,
// or a POST's body), one task as ExternalTaskDto, locking it by its id, unlocking it and setting its retries. Camunda's filters
// the engine cannot serve are declared too, so that they are refused by name.
import { count, idParams, name255, noContent } from '../shared-schemas.js';
import { REFUSED_EXTERNAL_TASK_FILTERS } from './external-task-query.js';
import {
  camundaErrors, countAnswer, flag, orNull, postedQueryPaging, queryBody, queryString, tags, text, textList, type ParameterSchema,
} from './query-schemas.js';

const integer = { type: 'integer' } as const;

const served = {
  externalTaskId: text, externalTaskIdIn: textList, topicName: text, workerId: text, locked: flag, notLocked: flag,
  withRetriesLeft: flag, noRetriesLeft: flag, active: flag, suspended: flag, processInstanceId: text, processDefinitionId: text,
  processDefinitionKey: text, activityId: text, tenantIdIn: textList,
};
const refused: Record<(typeof REFUSED_EXTERNAL_TASK_FILTERS)[number], ParameterSchema> = {
  activityIdIn: textList, lockExpirationBefore: text, lockExpirationAfter: text, executionId: text, processInstanceIdIn: textList,
  processDefinitionKeyIn: textList, processDefinitionName: text, processDefinitionNameLike: text, priorityHigherThanOrEquals: integer,
  priorityLowerThanOrEquals: integer, processVariables: { type: 'array', items: { type: 'object' } }, variableNamesIgnoreCase: flag,
  variableValuesIgnoreCase: flag,
};
const externalTaskQuery = { ...served, ...refused };

const QUERY_DESCRIPTION =
  'As Camunda 7\'s external task query. Filters `externalTaskId`, `externalTaskIdIn`, `topicName`, `workerId`, `locked`, ' +
  '`notLocked`, `withRetriesLeft`, `noRetriesLeft`, `active`, `suspended`, `processInstanceId`, `processDefinitionId`, ' +
  '`processDefinitionKey`, `activityId` and `tenantIdIn`; sorting by any of Camunda\'s fields (`id`, `lockExpirationTime`, ' +
  '`processInstanceId`, `processDefinitionId`, `processDefinitionKey`, `tenantId`, `taskPriority`, `createTime`). Every other ' +
  'Camunda filter, `processVariables` among them, is a 400 naming it.';

const dtoFields = {
  activityId: text, activityInstanceId: orNull(text), errorMessage: orNull(text), executionId: text, id: text,
  lockExpirationTime: orNull(text), createTime: orNull(text), processDefinitionId: text, processDefinitionKey: text,
  processDefinitionVersionTag: orNull(text), processInstanceId: text, retries: orNull(integer), suspended: flag, workerId: orNull(text),
  topicName: text, tenantId: orNull(text), priority: integer, businessKey: orNull(text),
};
const externalTaskDto = { description: 'the task, as ExternalTaskDto', type: 'object', required: Object.keys(dtoFields), properties: dtoFields };

const list = { 200: { description: 'the tasks, as ExternalTaskDto', type: 'array', items: externalTaskDto }, ...camundaErrors(400) };
const counted = { ...countAnswer, ...camundaErrors(400) };

export const externalTaskListSchema = { tags, summary: 'List external tasks (Camunda 7)', description: QUERY_DESCRIPTION, querystring: queryString(externalTaskQuery), response: list };

export const externalTaskQuerySchema = {
  tags, summary: 'Query external tasks (Camunda 7)', description: `${QUERY_DESCRIPTION} The query is the body; \`firstResult\` and \`maxResults\` stay in the query string.`,
  querystring: postedQueryPaging, body: queryBody(externalTaskQuery), response: list,
};

export const externalTaskCountSchema = { tags, summary: 'Count external tasks (Camunda 7)', description: QUERY_DESCRIPTION, querystring: queryString(externalTaskQuery), response: counted };

export const externalTaskQueryCountSchema = {
  tags, summary: 'Count external tasks by a query in the body (Camunda 7)', description: QUERY_DESCRIPTION, body: queryBody(externalTaskQuery), response: counted,
};

const NOT_FOUND = 'A task that does not exist, or no longer does, is a 404 `RestException`, as in Camunda 7.';

export const externalTaskSchema = {
  tags, summary: 'One external task (Camunda 7)', description: NOT_FOUND, params: idParams, response: { 200: externalTaskDto, ...camundaErrors(404) },
};

export const lockSchema = {
  tags, summary: 'Lock an external task by its id (Camunda 7.21)',
  description:
    'Locks the task for `workerId` until now + `lockDuration` ms, whether it was free, its lock expired, or the same worker ' +
    `holds it (its lock is then extended). A lock of another worker that has not expired is a 400 \`BadUserRequestException\`. ${NOT_FOUND}`,
  params: idParams,
  body: {
    type: 'object', additionalProperties: false, required: ['workerId', 'lockDuration'],
    properties: { workerId: { ...name255, minLength: 1 }, lockDuration: { ...count, minimum: 1, description: 'milliseconds' } },
  },
  response: { ...noContent, ...camundaErrors(400, 404) },
};

export const unlockSchema = {
  tags, summary: 'Release the lock of an external task (Camunda 7)',
  description: `Whoever holds the lock: the next fetch may take the task at once, and the worker that held it can no longer complete it. ${NOT_FOUND}`,
  params: idParams, response: { ...noContent, ...camundaErrors(404) },
};

export const retriesSchema = {
  tags, summary: 'Set the retries of an external task (Camunda 7)',
  description:
    '`retries: 0` opens the `failedExternalTask` incident that a failure with no retries left opens; more retries on a task ' +
    `that had none resolve it, and a fetch may take the task again. \`retries\` null or left out is a 400. ${NOT_FOUND}`,
  params: idParams,
  body: { type: 'object', additionalProperties: false, properties: { retries: orNull(integer) } },
  response: { ...noContent, ...camundaErrors(400, 404) },
};

// The requests and answers of Camunda 7's history endpoints. A query comes as a GET's query string (lists
// comma-separated) or a POST's body (lists as arrays, fields may be null, the sort also as `sorting`);
// Camunda's filters the engine cannot serve are declared too, so that they are refused by name.
import { idParams } from '../../shared-schemas.js';
import { pagingProperties } from '../paging.js';
import { camundaErrors as errors, orNull, tags } from '../query-schemas.js';


/** `conditions`: comparisons such as Camunda's `dueDates`, `gt_<time>,lt_<time>` in a query string and `[{ operator, value }]` in a body */
export type FilterType = 'string' | 'boolean' | 'time' | 'list' | 'conditions';
/** a time as Camunda writes it in a query, `2024-01-31T10:00:00.000+0000`, or with an ISO 8601 zone */
const camundaTime = { type: 'string', pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?(Z|[+-]\\d\\d:?\\d\\d)$' };
const condition = { type: 'object', additionalProperties: false, required: ['operator', 'value'], properties: { operator: { type: 'string' }, value: {} } };
const IN_QUERY: Readonly<Record<FilterType, { type: string }>> = {
  string: { type: 'string' }, boolean: { type: 'boolean' }, time: camundaTime, list: { type: 'string' }, conditions: { type: 'string' },
};
const IN_BODY: Readonly<Record<FilterType, { type: string }>> = {
  string: { type: 'string' }, boolean: { type: 'boolean' }, time: camundaTime, list: { type: 'array', items: { type: 'string' } } as { type: string },
  conditions: { type: 'array', items: condition } as { type: string },
};

export interface HistoryFilters {
  /** the filters served, and their types */
  served: Readonly<Record<string, FilterType>>;
  /** Camunda's filters of the resource that the engine has no equivalent of: a 400 naming them when they ask for something */
  unsupported: readonly string[];
}

const filterProperties = (filters: HistoryFilters, types: Readonly<Record<FilterType, { type: string }>>, nullable: boolean) => ({
  ...Object.fromEntries(Object.entries(filters.served).map(([name, type]) => [name, nullable ? orNull(types[type]) : types[type]])),
  ...Object.fromEntries(filters.unsupported.map((name) => [name, {}])),
});

const pageOnly = { firstResult: pagingProperties.firstResult, maxResults: pagingProperties.maxResults };
const sortingItem = { type: 'object', additionalProperties: false, properties: { sortBy: { type: 'string' }, sortOrder: pagingProperties.sortOrder, parameters: {} } };

export type FieldType = 'string' | 'integer' | 'boolean' | 'date' | 'any';
/** a Camunda DTO, every field present and null where there is nothing to say */
const dto = (fields: Readonly<Record<string, FieldType>>) => ({
  type: 'object',
  required: Object.keys(fields),
  properties: Object.fromEntries(Object.entries(fields).map(([name, type]) => [name, type === 'any' ? {} : { type: [type === 'date' ? 'string' : type, 'null'] }])),
});

/** what a history resource's schemas say of it */
export interface HistoryDescription {
  /** what its rows are */
  what: string;
  /** what it answers and refuses */
  about: string;
  filters: HistoryFilters;
  /** its rows' fields, as Camunda's DTO has them */
  fields: Readonly<Record<string, FieldType>>;
  /** query-string options of its own */
  extraQuery?: Record<string, unknown>;
}

/** The schemas of a history resource's list and count, by GET and by POST, and of one of its rows. */
export function historySchemas({ what, about, filters, fields: row, extraQuery = {} }: HistoryDescription) {
  const querystring = {
    type: 'object', additionalProperties: false, properties: { ...pagingProperties, ...filterProperties(filters, IN_QUERY, false), ...extraQuery },
  };
  const body = {
    type: ['object', 'null'], additionalProperties: false,
    properties: {
      ...filterProperties(filters, IN_BODY, true), sortBy: orNull({ type: 'string' }), sortOrder: { type: ['string', 'null'], enum: ['asc', 'desc', null] },
      sorting: orNull({ type: 'array', maxItems: 10, items: sortingItem }),
    },
  };
  const postQuery = { type: 'object', additionalProperties: false, properties: { ...pageOnly, ...extraQuery } };
  const list = { 200: { description: `the ${what}s`, type: 'array', items: dto(row) }, ...errors(400) };
  const count = { 200: { description: `how many ${what}s match`, type: 'object', required: ['count'], properties: { count: { type: 'integer' } } }, ...errors(400) };
  const served = `Filters: ${Object.keys(filters.served).join(', ')}.`;
  return {
    list: { tags, summary: `List ${what}s (Camunda 7)`, description: `${about} ${served}`, querystring, response: list },
    count: { tags, summary: `Count ${what}s (Camunda 7)`, description: `${about} ${served}`, querystring, response: count },
    postList: { tags, summary: `List ${what}s, the query in the body (Camunda 7)`, description: `${about} ${served}`, querystring: postQuery, body, response: list },
    postCount: { tags, summary: `Count ${what}s, the query in the body (Camunda 7)`, description: `${about} ${served}`, body, response: count },
    one: { tags, summary: `One ${what} (Camunda 7)`, params: idParams, response: { 200: { description: `the ${what}`, ...dto(row) }, ...errors(404) } },
  };
}

export const HISTORIC_PROCESS_INSTANCE = {
  id: 'string', businessKey: 'string', processDefinitionId: 'string', processDefinitionKey: 'string', processDefinitionName: 'string',
  processDefinitionVersion: 'integer', startTime: 'date', endTime: 'date', removalTime: 'date', durationInMillis: 'integer', startUserId: 'string',
  startActivityId: 'string', deleteReason: 'string', rootProcessInstanceId: 'string', superProcessInstanceId: 'string', superCaseInstanceId: 'string',
  caseInstanceId: 'string', tenantId: 'string', state: 'string',
} as const;

export const HISTORIC_ACTIVITY_INSTANCE = {
  id: 'string', parentActivityInstanceId: 'string', activityId: 'string', activityName: 'string', activityType: 'string', processDefinitionKey: 'string',
  processDefinitionId: 'string', processInstanceId: 'string', executionId: 'string', taskId: 'string', calledProcessInstanceId: 'string',
  calledCaseInstanceId: 'string', assignee: 'string', startTime: 'date', endTime: 'date', durationInMillis: 'integer', canceled: 'boolean',
  completeScope: 'boolean', tenantId: 'string', removalTime: 'date', rootProcessInstanceId: 'string',
} as const;

export const HISTORIC_TASK_INSTANCE = {
  id: 'string', processDefinitionKey: 'string', processDefinitionId: 'string', processInstanceId: 'string', executionId: 'string',
  caseDefinitionKey: 'string', caseDefinitionId: 'string', caseInstanceId: 'string', caseExecutionId: 'string', activityInstanceId: 'string',
  name: 'string', description: 'string', deleteReason: 'string', owner: 'string', assignee: 'string', startTime: 'date', endTime: 'date',
  duration: 'integer', taskDefinitionKey: 'string', priority: 'integer', due: 'date', parentTaskId: 'string', followUp: 'date', tenantId: 'string',
  removalTime: 'date', rootProcessInstanceId: 'string', taskState: 'string',
} as const;

export const HISTORIC_VARIABLE_INSTANCE = {
  id: 'string', name: 'string', type: 'string', value: 'any', valueInfo: 'any', processDefinitionKey: 'string', processDefinitionId: 'string',
  processInstanceId: 'string', executionId: 'string', activityInstanceId: 'string', caseDefinitionKey: 'string', caseDefinitionId: 'string',
  caseInstanceId: 'string', caseExecutionId: 'string', taskId: 'string', errorMessage: 'string', tenantId: 'string', state: 'string',
  createTime: 'date', removalTime: 'date', rootProcessInstanceId: 'string',
} as const;

export const HISTORIC_INCIDENT = {
  id: 'string', processDefinitionKey: 'string', processDefinitionId: 'string', processInstanceId: 'string', executionId: 'string',
  rootProcessInstanceId: 'string', createTime: 'date', endTime: 'date', removalTime: 'date', incidentType: 'string', activityId: 'string',
  failedActivityId: 'string', causeIncidentId: 'string', rootCauseIncidentId: 'string', configuration: 'string', historyConfiguration: 'string',
  incidentMessage: 'string', tenantId: 'string', jobDefinitionId: 'string', open: 'boolean', deleted: 'boolean', resolved: 'boolean', annotation: 'string',
} as const;

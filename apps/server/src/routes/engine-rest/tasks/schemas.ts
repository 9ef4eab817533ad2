// The requests and answers of Camunda 7's `/task` endpoints, as its clients send them (fields may be
// null); Camunda's error body is `{ type, message }`.
import { anyObject, idParams, name255 } from '../../shared-schemas.js';
import { pagingProperties } from '../paging.js';
import { camundaErrors, countAnswer, flag, orNull, postedQueryPaging, tags } from '../query-schemas.js';

const typedVariables = orNull({ type: 'object', description: 'variable name → { value, type, valueInfo }, as Camunda 7 writes them', additionalProperties: {
  type: 'object', additionalProperties: false, properties: { value: {}, type: orNull({ type: 'string' }), valueInfo: orNull({ type: 'object' }) },
} });
const tasks = { description: 'the tasks, as TaskDto', type: 'array', items: anyObject } as const;
const typedValue = { description: 'the variable, as VariableValueDto', ...anyObject };
const variableMap = { description: 'variable name → VariableValueDto', ...anyObject };
const noContent = { 204: { description: 'done', type: 'null' } } as const;

const FILTERS_DESCRIPTION =
  'Filters the engine serves: `processInstanceId`, `processDefinitionKey`, `taskDefinitionKey`, `assignee`, `candidateUser`, ' +
  '`candidateGroup` (these two leave out claimed tasks unless `includeAssignedTasks`), `unassigned`, `dueBefore`, ' +
  '`delegationState=PENDING`, and the lists `processInstanceIdIn`, `processDefinitionKeyIn`, `taskDefinitionKeyIn`, `assigneeIn`, ' +
  '`candidateGroups` and `tenantIdIn` with one value. Any other filter of Camunda\'s is a 400 naming it. Sorts by `created`, ' +
  '`dueDate`, `followUpDate`, `priority`, `name` and `assignee`.';

/** what both a query string and a body may say about how tasks are answered */
const answerOptions = { withTaskVariablesInReturn: flag, withCommentAttachmentInfo: flag, includeAssignedTasks: flag, unassigned: flag };
/** a query string of filters: any of Camunda's may come, and those the engine lacks are refused by name */
const filtersInQueryString = (properties: Record<string, unknown>) => ({ type: 'object', additionalProperties: true, properties });
const sort = { sortBy: orNull({ type: 'string' }), sortOrder: orNull(pagingProperties.sortOrder) };
const postedQuery = {
  ...orNull({ type: 'object' }),
  additionalProperties: true,
  properties: {
    ...Object.fromEntries(Object.entries(answerOptions).map(([name, schema]) => [name, orNull(schema)])),
    sorting: orNull({ type: 'array', items: { type: 'object', additionalProperties: false, properties: { ...sort, parameters: orNull({ type: 'object' }) } } }),
    ...sort,
  },
};

export const listTasksSchema = {
  tags, summary: 'List user tasks (Camunda 7)', description: `As Camunda 7's \`GET /task\`. ${FILTERS_DESCRIPTION}`,
  querystring: filtersInQueryString({ ...pagingProperties, ...answerOptions }),
  response: { 200: tasks, ...camundaErrors(400) },
};

export const queryTasksSchema = {
  tags, summary: 'Query user tasks (Camunda 7)',
  description: `As Camunda 7's \`POST /task\`: the query in the body, \`sorting\` with one entry. ${FILTERS_DESCRIPTION}`,
  querystring: postedQueryPaging, body: postedQuery, response: { 200: tasks, ...camundaErrors(400) },
};

export const countTasksSchema = {
  tags, summary: 'Count user tasks (Camunda 7)', description: `As Camunda 7's \`GET /task/count\`. ${FILTERS_DESCRIPTION}`,
  querystring: filtersInQueryString(answerOptions), response: { ...countAnswer, ...camundaErrors(400) },
};

export const countQueriedTasksSchema = {
  tags, summary: 'Count user tasks, the query in the body (Camunda 7)', description: `As Camunda 7's \`POST /task/count\`. ${FILTERS_DESCRIPTION}`,
  body: postedQuery, response: { ...countAnswer, ...camundaErrors(400) },
};

export const getTaskSchema = {
  tags, summary: 'One user task (Camunda 7)',
  description: 'As Camunda 7\'s `GET /task/{id}`: 404 when no open task has the id. `withTaskLocalVariablesInReturn` is a 400.',
  params: idParams,
  querystring: { type: 'object', additionalProperties: false, properties: { withTaskVariablesInReturn: flag, withCommentAttachmentInfo: flag, withTaskLocalVariablesInReturn: flag } },
  response: { 200: { description: 'the task, as TaskDto', ...anyObject }, ...camundaErrors(400, 404) },
};

const command = (summary: string, description: string, body: Record<string, unknown> | undefined, answer: Record<string, unknown> = noContent) => ({
  tags, summary, description, params: idParams,
  ...(body ? { body: { ...orNull({ type: 'object' }), additionalProperties: false, properties: body } } : {}),
  response: { ...answer, ...camundaErrors(400, 404, 500) },
});
const userId = orNull({ ...name255, minLength: 1 });

export const claimSchema = command('Claim a task (Camunda 7)',
  'A task claimed by someone else is a 500 `TaskAlreadyClaimedException`; a missing task a 500 `NullValueException`, as in Camunda 7.', { userId });
export const unclaimSchema = command('Give a claimed task back (Camunda 7)', 'A missing task is a 400 `NotFoundException`, as in Camunda 7.', {});
export const setAssigneeSchema = command('Set the assignee of a task (Camunda 7)', '`userId: null` removes the assignee. A missing task is a 400 `NotFoundException`.', { userId });
export const delegateSchema = command('Delegate a task (Camunda 7)', 'The owner keeps the task; the delegate resolves it back.', { userId });
export const resolveSchema = command('Resolve a delegated task (Camunda 7)', 'Back to its owner, with the variables given.', { variables: typedVariables });

const completion = (summary: string, path: string) => command(summary,
  `As Camunda 7's \`POST /task/{id}/${path}\`: 204, or 200 with the instance's variables when \`withVariablesInReturn\`. A missing, ` +
  'suspended or otherwise refused task is a 500 `RestException` naming it; a form field in error or a bad variable a 400.',
  { variables: typedVariables, withVariablesInReturn: orNull(flag) }, { ...noContent, 200: variableMap });
export const completeSchema = completion('Complete a task (Camunda 7)', 'complete');
export const submitFormSchema = completion('Submit the form of a task (Camunda 7)', 'submit-form');

const read = (summary: string, description: string, answer: Record<string, unknown>, querystring: Record<string, unknown> = {}, params: object = idParams) => ({
  tags, summary, description, params,
  querystring: { type: 'object', additionalProperties: false, properties: querystring },
  response: { 200: answer, ...camundaErrors(400, 404, 500) },
});
const deserializeValues = { deserializeValues: flag };

export const taskVariablesSchema = read('The variables visible at a task (Camunda 7)',
  'As Camunda 7\'s `GET /task/{id}/variables`: typed, an Object value deserialized unless `deserializeValues=false`.', variableMap, deserializeValues);
export const taskVariableSchema = read('One variable visible at a task (Camunda 7)', 'A variable the task does not see is a 404.', typedValue,
  { deserializeValue: flag }, { type: 'object', required: ['id', 'varName'], properties: { id: { type: 'string' }, varName: { type: 'string' } } });
export const formVariablesSchema = read('The form variables of a task (Camunda 7)',
  'The fields of its generated form with the values they show, then the other variables visible at the task; `variableNames` (comma-separated) keeps only those.',
  variableMap, { ...deserializeValues, variableNames: { type: 'string' } });
export const taskFormSchema = read('The form of a task (Camunda 7)',
  '`{ key, contextPath, camundaFormRef }`: a form deployed beside the process (camunda:formRef) is named in `camundaFormRef`, with a null binding.',
  { description: 'the form, as FormDto', ...anyObject });
export const identityLinksSchema = read('The identity links of a task (Camunda 7)', 'Its candidate users and groups, its assignee and its owner; `type` keeps one kind.',
  { description: 'the links, as IdentityLinkDto', type: 'array', items: anyObject }, { type: { type: 'string' } });

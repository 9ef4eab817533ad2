// The requests and answers of Camunda 7's `/process-instance` resource and its variables.
import { idParams, noContent } from '../../shared-schemas.js';
import { REFUSED_INSTANCE_FILTERS } from './running-instances.js';
import {
  camundaErrors, countAnswer, flag, orNull, postedQueryPaging, queryBody, queryString, tags, text, textList, type ParameterSchema,
} from '../query-schemas.js';

const served = {
  processDefinitionKey: text, processDefinitionId: text, businessKey: text, tenantIdIn: { ...textList, description: 'one tenant' },
  superProcessInstance: text, active: flag, suspended: flag,
};
const refused: Record<(typeof REFUSED_INSTANCE_FILTERS)[number], ParameterSchema> = {
  processInstanceIds: textList, businessKeyLike: text, caseInstanceId: text, processDefinitionKeyIn: textList, processDefinitionKeyNotIn: textList,
  deploymentId: text, subProcessInstance: text, superCaseInstance: text, subCaseInstance: text, withIncident: flag, incidentId: text,
  incidentType: text, incidentMessage: text, incidentMessageLike: text, withoutTenantId: flag, processDefinitionWithoutTenantId: flag,
  activityIdIn: textList, rootProcessInstances: flag, leafProcessInstances: flag, rootProcessInstanceId: text,
  variables: { type: 'array', items: { type: 'object' } }, variableNamesIgnoreCase: flag, variableValuesIgnoreCase: flag,
  orQueries: { type: 'array', items: { type: 'object' } },
};
const instanceQuery = { ...served, ...refused };

const QUERY_DESCRIPTION =
  'As Camunda 7\'s instance query: only running instances, active or suspended. Filters `processDefinitionKey`, ' +
  '`processDefinitionId`, `businessKey`, `tenantIdIn` (one tenant), `superProcessInstance`, `active`, `suspended`; ' +
  'sorting by `businessKey` or `definitionKey` together with `active=true` or `suspended=true` (both states together ' +
  'are ordered by start, newest first). Every other Camunda filter, `variables` among them, is a 400 naming it.';

const instanceDto = {
  description: 'the instance, as ProcessInstanceDto',
  type: 'object',
  required: ['links', 'id', 'definitionId', 'definitionKey', 'ended', 'suspended'],
  properties: {
    links: { type: 'array' }, id: text, definitionId: text, definitionKey: text, businessKey: orNull(text), caseInstanceId: orNull(text),
    ended: flag, suspended: flag, tenantId: orNull(text),
  },
};
const instanceList = { 200: { description: 'the instances, as ProcessInstanceDto', type: 'array', items: instanceDto }, ...camundaErrors(400) };
const variableParams = { type: 'object', required: ['id', 'varName'], properties: { id: text, varName: text } };

export const instanceListSchema = { tags, summary: 'List running process instances (Camunda 7)', description: QUERY_DESCRIPTION, querystring: queryString(instanceQuery), response: instanceList };

export const instanceQuerySchema = {
  tags, summary: 'Query running process instances (Camunda 7)', description: `${QUERY_DESCRIPTION} The query is the body; \`firstResult\` and \`maxResults\` stay in the query string.`,
  querystring: postedQueryPaging, body: queryBody(instanceQuery), response: instanceList,
};

export const instanceCountSchema = {
  tags, summary: 'Count running process instances (Camunda 7)', description: QUERY_DESCRIPTION, querystring: queryString(instanceQuery), response: { ...countAnswer, ...camundaErrors(400) },
};

export const instanceQueryCountSchema = {
  tags, summary: 'Count running process instances by a query in the body (Camunda 7)', description: QUERY_DESCRIPTION,
  body: queryBody(instanceQuery), response: { ...countAnswer, ...camundaErrors(400) },
};

export const instanceSchema = {
  tags, summary: 'A running process instance (Camunda 7)', description: 'An ended or unknown instance answers 404, as Camunda\'s runtime no longer has it.',
  params: idParams, response: { 200: instanceDto, ...camundaErrors(404) },
};

const incidentRefs = { type: 'array', items: { type: 'object', properties: { id: text, activityId: text } } };
/** what an activity instance and a transition instance have alike; children are described by the same shape */
const treeNode = {
  id: text, parentActivityInstanceId: orNull(text), activityId: text, activityName: orNull(text), name: orNull(text), activityType: text,
  processInstanceId: text, processDefinitionId: text, incidentIds: textList, incidents: incidentRefs,
};
const children = { type: 'array', items: { type: 'object', additionalProperties: true } };

export const activityInstancesSchema = {
  tags,
  summary: 'The activity instance tree of a running process instance (Camunda 7)',
  description: 'As Camunda 7\'s `GET /process-instance/{id}/activity-instances`: the instance at the root (`activityType` processDefinition), ' +
    'each activity instance that has not ended beneath the one it runs in, a multi-instance body as `<activity id>#multiInstanceBody`. ' +
    'A token waiting on an asynchronous continuation, before or after its activity, is a transition instance. Open incidents are ' +
    'listed where they occurred. An ended or unknown instance answers 404.',
  params: idParams,
  response: {
    200: {
      description: 'the tree, as ActivityInstanceDto',
      type: 'object',
      properties: { ...treeNode, executionIds: textList, childActivityInstances: children, childTransitionInstances: children },
    },
    ...camundaErrors(404),
  },
};

export const deleteInstanceSchema = {
  tags,
  summary: 'Delete (terminate) a running process instance (Camunda 7)',
  description:
    'As Camunda 7\'s `DELETE /process-instance/{id}`: 204; an unknown or ended instance is a 404 unless `failIfNotExists=false`. ' +
    '`skipCustomListeners`, `skipIoMappings` and `skipSubprocesses` set to true are a 400: the engine always ends the instances it called.',
  params: idParams,
  querystring: { type: 'object', additionalProperties: false, properties: { skipCustomListeners: flag, skipIoMappings: flag, skipSubprocesses: flag, failIfNotExists: flag } },
  response: { ...noContent, ...camundaErrors(400, 404) },
};

export const suspendInstanceSchema = {
  tags,
  summary: 'Suspend or activate a process instance (Camunda 7)',
  description: 'As Camunda 7: 204, also for an unknown or ended instance, of which Camunda changes nothing; `suspended` left out activates.',
  params: idParams,
  body: { type: 'object', additionalProperties: false, properties: { suspended: orNull(flag) } },
  response: { ...noContent, ...camundaErrors(400) },
};

const typedValue = { description: 'a variable as Camunda writes it: Json and Object values as their text', type: 'object', properties: { type: text, value: {}, valueInfo: { type: 'object' } } };
const typedValueInput = { type: 'object', additionalProperties: false, properties: { value: {}, type: orNull(text), valueInfo: orNull({ type: 'object' }) } };
const ANSWERED_AS_TEXT = 'Json values, and Object values whatever `deserializeValues` says, answer as their text.';

export const variablesSchema = {
  tags, summary: 'The variables of a running process instance (Camunda 7)', description: `${ANSWERED_AS_TEXT} An ended or unknown instance answers 404.`,
  params: idParams, querystring: { type: 'object', additionalProperties: false, properties: { deserializeValues: flag } },
  response: { 200: { description: 'variable name → typed value', type: 'object', additionalProperties: typedValue }, ...camundaErrors(404) },
};

export const variableSchema = {
  tags, summary: 'One variable of a running process instance (Camunda 7)', description: `${ANSWERED_AS_TEXT} A variable the instance does not have answers 404.`,
  params: variableParams, querystring: { type: 'object', additionalProperties: false, properties: { deserializeValue: flag } },
  response: { 200: typedValue, ...camundaErrors(404) },
};

export const putVariableSchema = {
  tags, summary: 'Set a variable of a running process instance (Camunda 7)', description: 'A typed value as Camunda writes it (Json as text); File and Bytes values are a 400.',
  params: variableParams, body: typedValueInput, response: { ...noContent, ...camundaErrors(400, 404) },
};

export const modifyVariablesSchema = {
  tags,
  summary: 'Set variables of a running process instance (Camunda 7)',
  description: 'As Camunda 7\'s `POST /process-instance/{id}/variables`: `modifications` are set, then `deletions` removed (a name the instance does not have is passed over, as in Camunda); 204.',
  params: idParams,
  body: orNull({ type: 'object', additionalProperties: false, properties: {
    modifications: orNull({ type: 'object', additionalProperties: typedValueInput }), deletions: orNull(textList),
  } }),
  response: { ...noContent, ...camundaErrors(400, 404) },
};

export const deleteVariableSchema = {
  tags, summary: 'Remove a variable of a running process instance (Camunda 7)',
  description: 'As Camunda 7: 204, also when the instance has no such variable; an ended or unknown instance answers 404.',
  params: variableParams, response: { ...noContent, ...camundaErrors(404) },
};

const modificationInstruction = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { type: 'string', enum: ['cancel', 'startBeforeActivity', 'startAfterActivity', 'startTransition'] },
    activityId: orNull(text), transitionId: orNull(text), activityInstanceId: orNull(text), transitionInstanceId: orNull(text),
    ancestorActivityInstanceId: orNull(text), cancelCurrentActiveActivityInstances: orNull(flag),
    variables: orNull({ type: 'object', additionalProperties: { ...typedValueInput, properties: { ...typedValueInput.properties, local: orNull(flag) } } }),
  },
};

export const modificationSchema = {
  tags,
  summary: 'Modify a process instance (Camunda 7)',
  description:
    'As Camunda 7\'s process instance modification: `startBeforeActivity`, `startAfterActivity`, `startTransition` and `cancel` ' +
    '(by `activityId` or `activityInstanceId`), in order, with `variables` set as a token starts and an `annotation`; 204. ' +
    '`skipCustomListeners`, `skipIoMappings`, local variables, `transitionInstanceId` and `cancelCurrentActiveActivityInstances` ' +
    'are a 400, as is an instruction the engine cannot carry out, and then nothing changes.',
  params: idParams,
  body: {
    type: 'object', additionalProperties: false, required: ['instructions'],
    properties: {
      instructions: { type: 'array', minItems: 1, maxItems: 100, items: modificationInstruction },
      skipCustomListeners: orNull(flag), skipIoMappings: orNull(flag), annotation: orNull({ type: 'string', maxLength: 4000 }),
    },
  },
  response: { ...noContent, ...camundaErrors(400, 404) },
};

// The requests and answers of Camunda 7's `/deployment` reads, files and deletion.
import { noContent } from '../../shared-schemas.js';
import { camundaErrors, countAnswer, flag, orNull, queryString, tags, text, textList } from '../query-schemas.js';

const deploymentQuery = queryString({
  id: text, name: text, nameLike: text, source: text, withoutSource: flag, tenantIdIn: textList, withoutTenantId: flag,
  includeDeploymentsWithoutTenantId: flag, after: text, before: text,
});

const QUERY_DESCRIPTION =
  'As Camunda 7\'s deployment query: filters `id`, `name`, `nameLike`, `source`, `withoutSource`, `tenantIdIn`, `withoutTenantId`, ' +
  '`includeDeploymentsWithoutTenantId`, `after` and `before` (strictly, times as `2024-01-31T10:00:00.000+0000`); `sortBy` `id`, ' +
  '`name`, `deploymentTime` or `tenantId`. `maxResults=0` answers an empty list, as Camunda Modeler checks a connection. ' +
  'Any other parameter is a 400 naming it.';

const deploymentDto = {
  description: 'the deployment, as DeploymentDto',
  type: 'object',
  required: ['id', 'deploymentTime'],
  properties: { links: { type: 'array' }, id: text, name: orNull(text), source: orNull(text), deploymentTime: text, tenantId: orNull(text) },
};

const resourceDto = {
  description: 'a file of the deployment, as DeploymentResourceDto',
  type: 'object',
  required: ['id', 'name', 'deploymentId'],
  properties: { id: text, name: text, deploymentId: text },
};

const FILES =
  'A deployment holds its BPMN file, its DMN files and its forms. The engine keeps no file names: each is named after what it ' +
  'holds (`<key of its first process>.bpmn`, `<DMN definitions id>.dmn`, `<form id>.form`) and known by the id of the first ' +
  'process or decision definition made from it, or of the form.';

const params = (...names: string[]) => ({ type: 'object', required: names, properties: Object.fromEntries(names.map((name) => [name, text])) });

export const deploymentListSchema = {
  tags, summary: 'List deployments (Camunda 7)', description: QUERY_DESCRIPTION, querystring: deploymentQuery,
  response: { 200: { description: 'the deployments, as DeploymentDto', type: 'array', items: deploymentDto }, ...camundaErrors(400) },
};

export const deploymentCountSchema = {
  tags, summary: 'Count deployments (Camunda 7)', description: QUERY_DESCRIPTION, querystring: deploymentQuery,
  response: { ...countAnswer, ...camundaErrors(400) },
};

export const deploymentSchema = {
  tags, summary: 'A deployment (Camunda 7)', params: params('id'), response: { 200: deploymentDto, ...camundaErrors(404) },
};

export const deleteDeploymentSchema = {
  tags,
  summary: 'Delete a deployment (Camunda 7)',
  description:
    'As Camunda 7\'s `DELETE /deployment/{id}`: its process definitions, decisions and forms, in one transaction. A definition ' +
    'with instances (running or ended, which the engine keeps together) is a 500 `ProcessEngineException` as in Camunda, and ' +
    'nothing is deleted, unless `cascade=true`, which deletes the instances and the decisions\' evaluations too. A form that a ' +
    'definition of another deployment links to, or a decision with evaluations and no cascade, is a 400. The engine runs no ' +
    'listeners or mappings when it deletes instances, so `skipCustomListeners` and `skipIoMappings` change nothing.',
  params: params('id'),
  querystring: { type: 'object', additionalProperties: false, properties: { cascade: flag, skipCustomListeners: flag, skipIoMappings: flag } },
  response: { ...noContent, ...camundaErrors(400, 404, 500) },
};

export const resourceListSchema = {
  tags, summary: 'The files of a deployment (Camunda 7)', description: FILES, params: params('id'),
  response: { 200: { description: 'as DeploymentResourceDto', type: 'array', items: resourceDto }, ...camundaErrors(404) },
};

export const resourceSchema = {
  tags, summary: 'A file of a deployment (Camunda 7)', description: FILES, params: params('id', 'resourceId'),
  response: { 200: resourceDto, ...camundaErrors(404) },
};

export const resourceDataSchema = {
  tags,
  summary: 'The content of a file of a deployment (Camunda 7)',
  description:
    `${FILES} The file as deployed, as an attachment: \`application/xml\` for BPMN and DMN, \`application/octet-stream\` for a ` +
    'form, as Camunda types them by extension. A file the deployment does not hold is a 500 `NullValueException`, as in Camunda.',
  params: params('id', 'resourceId'),
  response: {
    200: { description: 'the file', content: { 'application/xml': { schema: text }, 'application/octet-stream': { schema: text } } },
    ...camundaErrors(500),
  },
};

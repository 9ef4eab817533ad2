// The requests and answers of Camunda 7's `/process-definition` reads and suspension.
import { noContent } from '../../shared-schemas.js';
import type { REFUSED_DEFINITION_FILTERS } from './definition-query.js';
import { camundaErrors, countAnswer, flag, orNull, queryString, tags, text, textList, type ParameterSchema } from '../query-schemas.js';

const refused: Record<(typeof REFUSED_DEFINITION_FILTERS)[number], ParameterSchema> = {
  processDefinitionId: text, processDefinitionIdIn: textList, name: text, nameLike: text, categoryLike: text, deploymentId: text,
  deployedAfter: text, deployedAt: text, keysIn: textList, keyLike: text, ver: { type: 'integer' }, version: { type: 'integer' },
  resourceName: text, resourceNameLike: text, startableBy: text, incidentId: text, incidentType: text, incidentMessage: text,
  incidentMessageLike: text, withoutTenantId: flag, includeProcessDefinitionsWithoutTenantId: flag, versionTag: text, versionTagLike: text,
  withoutVersionTag: flag, startableInTasklist: flag, notStartableInTasklist: flag, startablePermissionCheck: flag,
};
const definitionQuery = {
  key: text, category: text, latestVersion: flag, latest: flag, tenantIdIn: { ...textList, description: 'one tenant' }, active: flag, suspended: flag, ...refused,
};

const QUERY_DESCRIPTION =
  'As Camunda 7\'s definition query: filters `key`, `category`, `latestVersion` (or `latest`), `tenantIdIn` (one tenant), ' +
  '`active`, `suspended`; `sortBy` `key`, `name`, `version`, `category` or `deployTime`. Every other Camunda filter is a 400 ' +
  'naming it, `name` and `nameLike` among them (the engine searches names, it does not match them as Camunda does), and `keyLike`.';

export const definitionDto = {
  description: 'the definition, as ProcessDefinitionDto',
  type: 'object',
  required: ['id', 'key', 'version', 'deploymentId', 'suspended'],
  properties: {
    id: text, key: text, category: orNull(text), description: orNull(text), name: orNull(text), version: { type: 'integer' }, resource: orNull(text),
    deploymentId: text, diagram: orNull(text), suspended: flag, tenantId: orNull(text), versionTag: orNull(text),
    historyTimeToLive: orNull({ type: 'integer' }), startableInTasklist: flag,
  },
};

export const definitionListSchema = {
  tags, summary: 'List process definitions (Camunda 7)', description: QUERY_DESCRIPTION, querystring: queryString(definitionQuery),
  response: { 200: { description: 'the definitions, as ProcessDefinitionDto', type: 'array', items: definitionDto }, ...camundaErrors(400) },
};

export const definitionCountSchema = {
  tags, summary: 'Count process definitions (Camunda 7)', description: QUERY_DESCRIPTION, querystring: queryString(definitionQuery),
  response: { ...countAnswer, ...camundaErrors(400) },
};

/** the params of a path that names a definition: by `id`, or the latest version of a `key` (in a `tenantId`) */
export const paramsOf = (path: string) => {
  const names = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  return { type: 'object', required: names, properties: Object.fromEntries(names.map((name) => [name, text])) };
};

const ADDRESSING = 'By id, or by key: the latest version of no tenant, or of the tenant `/tenant-id/{tenantId}` names; a key without such a version is a 404.';

export const definitionSchema = (path: string) => ({
  tags, summary: 'A process definition (Camunda 7)', description: ADDRESSING, params: paramsOf(path), response: { 200: definitionDto, ...camundaErrors(404) },
});

export const definitionXmlSchema = (path: string) => ({
  tags, summary: 'The BPMN XML of a process definition (Camunda 7)', description: ADDRESSING, params: paramsOf(path),
  response: { 200: { description: 'as ProcessDefinitionDiagramDto', type: 'object', required: ['id', 'bpmn20Xml'], properties: { id: text, bpmn20Xml: text } }, ...camundaErrors(404) },
});

export const suspendDefinitionSchema = (path: string) => ({
  tags,
  summary: 'Suspend or activate a process definition (Camunda 7)',
  description:
    `${ADDRESSING} 204, also for an unknown id, of which Camunda changes nothing. \`includeProcessInstances\` suspends or ` +
    'activates its running instances too; `executionDate` (a suspension later on) is a 400 unless null.',
  params: paramsOf(path),
  body: { type: 'object', additionalProperties: false, properties: { suspended: orNull(flag), includeProcessInstances: orNull(flag), executionDate: orNull(text) } },
  response: { ...noContent, ...camundaErrors(400, 404) },
});

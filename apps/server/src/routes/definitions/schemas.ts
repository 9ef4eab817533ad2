import {
  body, bool, errorResponses, idParams, listQuery, name255, noContent, page, ref, str, tenantId, text100,
} from '../shared-schemas.js';

const tags = ['definitions'];
const definitionAnswer = { 200: { description: 'the definition', ...ref('ProcessDefinition') } };

/** Fields a deployment may carry besides its model, in any of the body formats. */
const deployFields = { name: name255, category: text100, description: str, tenant_id: tenantId, deployed_by: name255 };
const bpmnXml = { type: 'string', minLength: 1, description: 'BPMN 2.0 XML' } as const;
const modelFile = { type: 'string', format: 'binary', description: 'the BPMN 2.0 XML file' } as const;
/** forms deployed with the model, which its user tasks and start events link to by id */
export const MAX_FORMS = 20;
const formFile = { type: 'string', format: 'binary', description: 'a form-js `.form` file (JSON with its `id`)' } as const;
const formFiles = {
  anyOf: [formFile, { type: 'array', items: formFile, maxItems: MAX_FORMS }],
  description: `up to ${MAX_FORMS} form-js \`.form\` files, each a part named \`form\`, deployed with the model`,
} as const;
/** DMN files deployed with the model, whose decisions its business rule tasks may bind to by deployment */
export const MAX_DECISION_FILES = 20;
const decisionFile = { type: 'string', format: 'binary', description: 'a DMN file' } as const;
const decisionFiles = {
  anyOf: [decisionFile, { type: 'array', items: decisionFile, maxItems: MAX_DECISION_FILES }],
  description: `up to ${MAX_DECISION_FILES} DMN files, each a part named \`decision\`, deployed with the model`,
} as const;
const decisionsJson = {
  type: 'array', maxItems: MAX_DECISION_FILES, items: { type: 'string', minLength: 1 },
  description: `up to ${MAX_DECISION_FILES} DMN files (their XML) deployed with the model`,
} as const;
const formsJson = {
  type: 'array', maxItems: MAX_FORMS, items: { anyOf: [{ type: 'object', additionalProperties: true }, { type: 'string' }] },
  description: `up to ${MAX_FORMS} form-js forms (JSON objects, or their text) deployed with the model`,
} as const;

export const deploySchema = {
  tags,
  summary: 'Deploy a BPMN model',
  description:
    'The model comes as JSON `bpmn_xml`, as a multipart part named `file` or `data`, or as a raw `application/xml` / ' +
    '`text/xml` body (whose other fields may then be given in the query string). One definition is made per executable ' +
    'process; byte-identical XML for the same key and tenant makes no new version and answers 200. Refused with 422: ' +
    'a NUL character, an id, name or other stored text over 255 characters, an expression over 2,000. ' +
    'Forms (form-js JSON, as Camunda Modeler saves `.form` files) travel with the model: JSON `forms`, or multipart parts ' +
    'named `form`. Each is a new version of its `id` (unless it is the same as the latest). A user task or start event ' +
    'links one by `zeebe:formDefinition formId` (`bindingType` latest, deployment or versionTag) or `camunda:formRef` ' +
    '(`camunda:formRefBinding` latest, deployment or version): the link is resolved now, to a form of this deployment ' +
    'or one deployed before, and the definition keeps that version. A link that finds no form is refused with 422 naming its element. ' +
    'DMN files travel with the model the same way (JSON `decisions`, multipart parts named `decision`): each decision becomes a new ' +
    'version of its id in this deployment (even when its file is the latest already), and `camunda:decisionRefBinding="deployment"` takes these. A DMN file that ' +
    'cannot be deployed is refused with 422 `INVALID_DMN` naming each problem, and nothing is deployed.',
  querystring: { type: 'object', additionalProperties: false, properties: deployFields },
  body: {
    content: {
      'application/json': { schema: body({ bpmn_xml: bpmnXml, forms: formsJson, decisions: decisionsJson, ...deployFields }, ['bpmn_xml']) },
      'multipart/form-data': {
        schema: { ...body({ file: modelFile, data: modelFile, form: formFiles, decision: decisionFiles, ...deployFields }), oneOf: [{ required: ['file'] }, { required: ['data'] }] },
      },
      'application/xml': { schema: bpmnXml },
      'text/xml': { schema: bpmnXml },
    },
  },
  response: {
    201: { description: 'deployed: a new version of each process', ...ref('Deployment') },
    200: { description: 'identical XML was deployed before: no new version, the existing definitions', ...ref('Deployment') },
    ...errorResponses(400, 413, 415, 422),
  },
};

export const listSchema = {
  tags,
  summary: 'List process definitions',
  querystring: listQuery({
    key: name255, latest: bool, category: text100, suspended: bool, tenant_id: tenantId, name: name255,
  }),
  response: { 200: page('ProcessDefinition'), ...errorResponses(400) },
};

export const getSchema = {
  tags,
  summary: 'One process definition with its XML, tasks and start form',
  params: idParams,
  response: { ...definitionAnswer, ...errorResponses(404) },
};

export const updateSchema = {
  tags,
  summary: 'Change the name, category or description of a definition',
  params: idParams,
  body: body({ name: { ...name255, minLength: 1 }, category: text100, description: str }),
  response: { ...definitionAnswer, ...errorResponses(400, 404) },
};

export const deleteSchema = {
  tags,
  summary: 'Delete a definition',
  description: '409 while instances of it exist, unless `cascade=true` deletes them too.',
  params: idParams,
  querystring: { type: 'object', additionalProperties: false, properties: { cascade: { ...bool, default: false } } },
  response: { ...noContent, ...errorResponses(400, 404, 409) },
};

export const suspendSchema = {
  tags,
  summary: 'Suspend or activate a definition',
  description: 'A suspended definition cannot be started (409). `include_instances` suspends or activates its instances too.',
  params: idParams,
  body: body({ suspended: bool, include_instances: bool }, ['suspended']),
  response: { ...definitionAnswer, ...errorResponses(400, 404) },
};

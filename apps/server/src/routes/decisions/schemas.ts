import { anyObject, body, bool, errorResponses, idParams, int, listQuery, name255, page, ref, str, tenantId, time } from '../shared-schemas.js';

const tags = ['decisions'];

/** Fields a deployment may carry besides its DMN file, in any of the body formats. */
const deployFields = { name: name255, tenant_id: tenantId, deployed_by: name255 };
const dmnXml = { type: 'string', minLength: 1, description: 'DMN 1.1 to 1.3 XML, as Camunda Modeler saves it' } as const;
const dmnFile = { type: 'string', format: 'binary', description: 'the DMN file' } as const;

export const deployDecisionsSchema = {
  tags,
  summary: 'Deploy a DMN file',
  description:
    'The file comes as JSON `dmn_xml`, as a multipart part named `file` or `data`, or as a raw `application/xml` / `text/xml` body ' +
    '(whose other fields may then be given in the query string). Each decision of the file (decision tables and literal ' +
    'expressions, with the decisions they require) becomes the next version of its id for the tenant; a file that is already ' +
    'the latest version of each of its decisions makes none and answers 200. Refused with 422 `INVALID_DMN`, naming each ' +
    'problem: a DOCTYPE, malformed XML, an expression or unary test that does not parse, an expression language other than FEEL ' +
    'or JUEL, a missing or circular required decision, a hit policy and aggregation that do not fit, rules with too few or too many entries.',
  querystring: { type: 'object', additionalProperties: false, properties: deployFields },
  body: {
    content: {
      'application/json': { schema: body({ dmn_xml: dmnXml, ...deployFields }, ['dmn_xml']) },
      'multipart/form-data': {
        schema: { ...body({ file: dmnFile, data: dmnFile, ...deployFields }), oneOf: [{ required: ['file'] }, { required: ['data'] }] },
      },
      'application/xml': { schema: dmnXml },
      'text/xml': { schema: dmnXml },
    },
  },
  response: {
    201: { description: 'deployed: a new version of each decision', ...ref('DecisionDeployment') },
    200: { description: 'the same file was the latest version of each decision: no new version', ...ref('DecisionDeployment') },
    ...errorResponses(400, 413, 415, 422),
  },
};

export const listDecisionsSchema = {
  tags,
  summary: 'List deployed decisions',
  querystring: listQuery({ key: name255, latest: bool, tenant_id: tenantId, decision_requirements_key: name255 }),
  response: { 200: page('DecisionDefinition'), ...errorResponses(400) },
};

export const getDecisionSchema = {
  tags,
  summary: 'One decision with its DMN, inputs, outputs and hit policy',
  params: idParams,
  response: { 200: { description: 'the decision', ...ref('DecisionDefinition') }, ...errorResponses(404) },
};

export const evaluateDecisionSchema = {
  tags,
  summary: 'Evaluate a deployed decision',
  description:
    'By `decision_key` (its latest version for `tenant_id`, where one deployed for no tenant serves too; without `tenant_id`, ' +
    'the latest of no tenant) or by `decision_id` (that version). The decisions it requires are evaluated first. The answer ' +
    'lists the outputs of each rule that matched, by output name, in the order of the hit policy (one entry for a literal ' +
    'expression or an aggregation; none when no rule matched). A decision that cannot be evaluated with these variables (a ' +
    'variable it needs is missing, a UNIQUE table matched twice, a value that does not fit its type) is a 400 naming why.',
  body: body({ decision_key: name255, decision_id: str, tenant_id: tenantId, variables: ref('VariablesInput') }),
  response: {
    200: {
      description: 'what the decision gave',
      type: 'object',
      required: ['decision_id', 'decision_key', 'version', 'result'],
      properties: {
        decision_id: str, decision_key: str, version: int, result: { type: 'array', items: anyObject },
        decision_instance_id: { ...str, description: 'the evaluation in the decision history (`GET /decision-instances/{id}`); absent below history level full' },
      },
    },
    ...errorResponses(400, 404),
  },
};

const historyTags = ['decision history'];

export const listDecisionInstancesSchema = {
  tags: historyTags,
  summary: 'List decision evaluations',
  description:
    'The decision history (history level `full`), newest first: each evaluation by a business rule task or through ' +
    '`POST /decisions/evaluate`, and each decision an evaluation required first. For callers who read all work (operator, ' +
    'analyst, admin); another caller gets 403.',
  querystring: listQuery({
    decision_key: name255, decision_id: str, process_instance_id: str, activity_id: name255, root_decision_instance_id: str,
    root_only: { ...bool, description: 'leave out the decisions an evaluation required first' }, tenant_id: tenantId,
    evaluated_after: time, evaluated_before: time,
  }),
  response: { 200: page('DecisionInstance'), ...errorResponses(400) },
};

export const getDecisionInstanceSchema = {
  tags: historyTags,
  summary: 'One decision evaluation',
  params: idParams,
  response: { 200: { description: 'the evaluation', ...ref('DecisionInstance') }, ...errorResponses(404) },
};

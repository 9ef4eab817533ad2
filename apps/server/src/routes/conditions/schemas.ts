import { body, errorResponses, name255, ref, str, tenantId } from '../shared-schemas.js';

export const evaluateSchema = {
  tags: ['instances'],
  summary: 'Start the processes whose conditional start event holds',
  description:
    'As Camunda 7 evaluates conditional start events: with these variables, every latest definition (of `tenant_id`, or ' +
    'only `process_definition_id`) whose conditional start event\'s condition holds starts an instance there, with the ' +
    'variables and `business_key`, in one transaction. A condition that cannot be evaluated with them does not hold. ' +
    'Answers the instances started (possibly none); 404 when no deployed process has a conditional start event.',
  body: body({ variables: ref('VariablesInput'), business_key: name255, tenant_id: tenantId, process_definition_id: str, started_by: name255 }),
  response: {
    200: { description: 'the instances started', type: 'object', required: ['data'], properties: { data: { type: 'array', items: ref('ProcessInstance') } } },
    ...errorResponses(400, 404),
  },
};

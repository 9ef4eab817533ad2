import { body, errorResponses, name255, ref, tenantId } from '../shared-schemas.js';

export const broadcastSchema = {
  tags: ['messages'],
  summary: 'Broadcast a signal',
  description: 'To every waiting signal catch event and signal start event; answers where it was delivered (possibly nowhere).',
  body: body({ signal_name: { ...name255, minLength: 1 }, variables: ref('VariablesInput'), tenant_id: tenantId }, ['signal_name']),
  response: {
    200: {
      description: 'where the signal was delivered',
      type: 'object',
      required: ['data'],
      properties: { data: { type: 'array', items: ref('Correlation') } },
    },
    ...errorResponses(400),
  },
};

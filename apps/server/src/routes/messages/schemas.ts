import { anyObject, body, bool, errorResponses, name255, ref, str, tenantId } from '../shared-schemas.js';

export const correlateSchema = {
  tags: ['messages'],
  summary: 'Correlate a message',
  description:
    'Delivers to one waiting receive task, message catch event, message boundary or event sub-process, or starts an ' +
    'instance from a message start event. `business_key`, `correlation_keys` (variables of the instance\'s own scope) ' +
    'and `process_instance_id` combine with AND. 404 when nothing waits for it; 409 when several match and `all` is ' +
    'not set; with `all: true` it delivers to every match and answers `{ data: [...] }`.',
  body: body({
    message_name: { ...name255, minLength: 1 }, business_key: name255, process_instance_id: str,
    correlation_keys: { ...anyObject, propertyNames: { maxLength: 255 } }, tenant_id: tenantId,
    variables: ref('VariablesInput'), all: bool,
  }, ['message_name']),
  response: {
    200: {
      description: 'where the message was delivered: one `{ process_instance_id, activity_id }`, or `{ data: [...] }` with `all: true`',
      oneOf: [
        ref('Correlation'),
        { type: 'object', required: ['data'], properties: { data: { type: 'array', items: ref('Correlation') } } },
      ],
    },
    ...errorResponses(400, 404, 409),
  },
};

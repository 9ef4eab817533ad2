// The request bodies of Camunda 7's external task REST API, as its clients send them (fields may be
// null), and its answers; Camunda's error body is `{ type, message }`.
import { anyObject, count, idParams, name255, noContent, tenantId } from '../shared-schemas.js';

const tags = ['engine-rest'];
const orNull = <S extends { type: string }>(schema: S) => ({ ...schema, type: [schema.type, 'null'] });
const workerId = { ...name255, minLength: 1 };
const duration = { ...count, minimum: 1, description: 'milliseconds' };
const strings = { type: 'array', items: { type: 'string' } } as const;
const typedValues = orNull({ type: 'object', description: 'variable name → { value, type, valueInfo }, as Camunda 7 writes them', additionalProperties: {
  type: 'object', additionalProperties: false, properties: { value: {}, type: orNull({ type: 'string' }), valueInfo: orNull({ type: 'object' }) },
} });

const camundaBody = (properties: Record<string, unknown>, required: string[]) => ({ type: 'object', additionalProperties: false, required, properties });

const camundaError = {
  type: 'object',
  required: ['type', 'message'],
  properties: { type: { type: 'string' }, message: { type: 'string' } },
} as const;
const errors = (...statuses: number[]) => Object.fromEntries([...statuses, 401, 403, 503].map((s) => [s, { description: "Camunda's error body", ...camundaError }]));

export const fetchAndLockSchema = {
  tags,
  summary: 'Fetch and lock external tasks (Camunda 7)',
  description:
    'As Camunda 7\'s `POST /external-task/fetchAndLock`. `asyncResponseTimeout` (ms, at most 60,000) waits for tasks when ' +
    'none is there yet. Topic filters this engine does not have (`processDefinitionId(In)`, `processDefinitionVersionTag`, ' +
    '`processVariables`, `withoutTenantId`, `localVariables`, several `processDefinitionKeyIn`) are a 400.',
  body: camundaBody({
    workerId, maxTasks: { type: 'integer', minimum: 1, maximum: 1000 }, usePriority: orNull({ type: 'boolean' }),
    asyncResponseTimeout: orNull({ type: 'integer', minimum: 0 }), sorting: orNull({ type: 'array' }),
    topics: {
      type: 'array', minItems: 1, maxItems: 100,
      items: camundaBody({
        topicName: { ...name255, minLength: 1 }, lockDuration: duration, variables: orNull(strings), localVariables: orNull({ type: 'boolean' }),
        businessKey: orNull(name255), processDefinitionId: orNull({ type: 'string' }), processDefinitionIdIn: orNull(strings),
        processDefinitionKey: orNull(name255), processDefinitionKeyIn: orNull(strings), processDefinitionVersionTag: orNull({ type: 'string' }),
        withoutTenantId: orNull({ type: 'boolean' }), tenantIdIn: orNull({ type: 'array', items: tenantId }), processVariables: orNull({ type: 'object' }),
        deserializeValues: orNull({ type: 'boolean' }), includeExtensionProperties: orNull({ type: 'boolean' }),
      }, ['topicName', 'lockDuration']),
    },
  }, ['workerId', 'maxTasks', 'topics']),
  response: { 200: { description: 'the locked tasks, as LockedExternalTaskDto', type: 'array', items: anyObject }, ...errors(400) },
};

const command = (summary: string, properties: Record<string, unknown>, required: string[]) => ({
  tags,
  summary,
  description: 'A task that is completed or does not exist answers 404; a worker that does not hold the lock, 400, as in Camunda 7.',
  params: idParams,
  body: camundaBody({ workerId, ...properties }, ['workerId', ...required]),
  response: { ...noContent, ...errors(400, 404) },
});

export const completeSchema = command('Complete an external task (Camunda 7)', { variables: typedValues, localVariables: typedValues }, []);

export const failureSchema = command('Report a failed attempt (Camunda 7)', {
  errorMessage: orNull({ type: 'string', maxLength: 10_000 }), errorDetails: orNull({ type: 'string' }), retries: orNull(count), retryTimeout: orNull(count),
}, []);

export const bpmnErrorSchema = command('Throw a BPMN error at the task (Camunda 7)', {
  errorCode: { ...name255, minLength: 1 }, errorMessage: orNull({ type: 'string' }), variables: typedValues,
}, ['errorCode']);

export const extendLockSchema = command('Extend the lock of a task (Camunda 7)', { newDuration: duration }, ['newDuration']);

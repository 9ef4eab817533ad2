// The request bodies of Camunda 7's external task REST API, as its clients send them (fields may be
// null), and its answers; Camunda's error body is `{ type, message }`.
import { anyObject, count, idParams, name255, noContent, tenantId } from '../shared-schemas.js';
import { camundaErrors as errors, orNull, tags } from './query-schemas.js';

const workerId = { ...name255, minLength: 1 };
const duration = { ...count, minimum: 1, description: 'milliseconds' };
const strings = { type: 'array', items: { type: 'string' } } as const;
const typedValues = orNull({ type: 'object', description: 'variable name → { value, type, valueInfo }, as Camunda 7 writes them', additionalProperties: {
  type: 'object', additionalProperties: false, properties: { value: {}, type: orNull({ type: 'string' }), valueInfo: orNull({ type: 'object' }) },
} });

const camundaBody = (properties: Record<string, unknown>, required: string[]) => ({ type: 'object', additionalProperties: false, required, properties });

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

const instanceAnswer = { description: 'the instance, as ProcessInstanceWithVariablesDto', type: 'object', additionalProperties: true } as const;

export const startSchema = {
  tags,
  summary: 'Start an instance (Camunda 7)',
  description: 'As Camunda 7\'s `POST /process-definition/{id}/start` (and by key, and by key and tenant). `startInstructions`, `skipCustomListeners`, `skipIoMappings` and `caseInstanceId` are a 400.',
  body: orNull({ type: 'object', additionalProperties: false, properties: {
    variables: typedValues, businessKey: orNull(name255), withVariablesInReturn: orNull({ type: 'boolean' }), startInstructions: orNull({ type: 'array' }),
    skipCustomListeners: orNull({ type: 'boolean' }), skipIoMappings: orNull({ type: 'boolean' }), caseInstanceId: orNull({ type: 'string' }),
  } }),
  response: { 200: instanceAnswer, ...errors(400, 404) },
};

export const correlateSchema = {
  tags,
  summary: 'Correlate a message (Camunda 7)',
  description:
    'As Camunda 7\'s `POST /message`: 204 once delivered; a message nothing waits for is a 400. `resultEnabled`, ' +
    '`variablesInResultEnabled`, `withoutTenantId` and the local variants of keys and variables are a 400.',
  body: camundaBody({
    messageName: { ...name255, minLength: 1 }, businessKey: orNull(name255), tenantId: orNull(tenantId), withoutTenantId: orNull({ type: 'boolean' }),
    processInstanceId: orNull({ type: 'string' }), correlationKeys: typedValues, localCorrelationKeys: typedValues, processVariables: typedValues,
    processVariablesLocal: typedValues, processVariablesToTriggeredScope: typedValues, all: orNull({ type: 'boolean' }),
    resultEnabled: orNull({ type: 'boolean' }), variablesInResultEnabled: orNull({ type: 'boolean' }),
  }, ['messageName']),
  response: { ...noContent, ...errors(400) },
};

export const signalSchema = {
  tags,
  summary: 'Broadcast a signal (Camunda 7)',
  description:
    'As Camunda 7\'s `POST /signal`: 204 once delivered to every instance waiting for it and every process it starts, of the ' +
    'tenant named or of all; a signal nothing waits for is no error. `executionId` and `withoutTenantId` are a 400.',
  body: camundaBody({
    name: { ...name255, minLength: 1 }, variables: typedValues, tenantId: orNull(tenantId), withoutTenantId: orNull({ type: 'boolean' }),
    executionId: orNull({ type: 'string' }),
  }, ['name']),
  response: { ...noContent, ...errors(400) },
};

export const createDeploymentSchema = {
  tags,
  summary: 'Deploy a BPMN model with its DMN and form files (Camunda 7)',
  description:
    'As Camunda 7\'s `POST /deployment/create`, which Camunda Modeler\'s Deploy calls: multipart fields `deployment-name`, ' +
    '`deployment-source`, `tenant-id`, `enable-duplicate-filtering`, `deploy-changed-only`, and the files in parts of any ' +
    'name, told apart by what they hold. One BPMN file a deployment. The same model again makes no new version, as if ' +
    'duplicate filtering were always on. A model the engine cannot run is a 400 `ParseException` whose message lists each problem.',
  consumes: ['multipart/form-data'],
  body: { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } },
  response: { 200: { description: 'the deployment, as DeploymentWithDefinitionsDto', type: 'object', additionalProperties: true }, ...errors(400, 413) },
};

export const versionSchema = {
  tags,
  summary: 'The version of the Camunda 7 REST API these endpoints follow',
  response: { 200: { type: 'object', required: ['version'], properties: { version: { type: 'string' } } } },
};

export const conditionSchema = {
  tags,
  summary: 'Start the processes whose conditional start event holds (Camunda 7)',
  description: 'As Camunda 7\'s `POST /condition`: the instances started, as ProcessInstanceDto. `withoutTenantId` is a 400.',
  body: camundaBody({
    variables: typedValues, businessKey: orNull(name255), tenantId: orNull(tenantId), withoutTenantId: orNull({ type: 'boolean' }),
    processDefinitionId: orNull({ type: 'string' }),
  }, []),
  response: { 200: { type: 'array', items: instanceAnswer }, ...errors(400, 404) },
};

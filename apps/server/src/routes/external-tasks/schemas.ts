import { body, bool, count, errorResponses, idParams, listQuery, name255, noContent, page, ref, str, strings, tenantId } from '../shared-schemas.js';

const tags = ['external-tasks'];
const workerId = { ...name255, minLength: 1 };
const duration = { ...count, minimum: 1, description: 'milliseconds' };

export const fetchAndLockSchema = {
  tags,
  summary: 'Fetch and lock external tasks',
  description:
    'A plain array of the tasks locked for this worker. A locked task is handed to no worker, its holder included, ' +
    'until its lock expires or is released.',
  body: body({
    worker_id: workerId,
    max_tasks: { type: 'integer', minimum: 1, maximum: 1000 },
    topics: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      items: body({
        topic_name: { ...name255, minLength: 1 }, lock_duration: duration, business_key: name255,
        process_instance_id: str, process_definition_key: name255,
        tenant_ids: { type: 'array', items: tenantId, maxItems: 100 },
        variables: { ...strings, maxItems: 1000, description: 'only these variables; all when left out' },
      }, ['topic_name', 'lock_duration']),
    },
  }, ['worker_id', 'max_tasks', 'topics']),
  response: { 200: { description: 'the locked tasks', type: 'array', items: ref('LockedExternalTask') }, ...errorResponses(400) },
};

export const listSchema = {
  tags,
  summary: 'List external tasks',
  querystring: listQuery({ topic_name: name255, locked: bool, process_instance_id: str, activity_id: name255 }),
  response: { 200: page('ExternalTask'), ...errorResponses(400) },
};

/** A worker's command on a task it holds: 204; a worker other than the lock holder gets 409. */
const command = (summary: string, description: string, properties: Record<string, unknown>, required: string[]) => ({
  tags,
  summary,
  description: `${description} Completed or unknown tasks answer 404; a worker that does not hold the lock gets 409.`,
  params: idParams,
  body: body({ worker_id: workerId, ...properties }, ['worker_id', ...required]),
  response: { ...noContent, ...errorResponses(400, 404, 409) },
});

export const completeSchema = command('Complete an external task', 'The instance moves on before the answer.', { variables: ref('VariablesInput') }, []);

export const failureSchema = command(
  'Report a failed attempt',
  '`retries` left; `retries: 0` opens a `failedExternalTask` incident. `retry_timeout` (ms) delays the next fetch.',
  { error_message: { type: 'string', maxLength: 10_000 }, error_details: str, retries: count, retry_timeout: count },
  ['error_message', 'retries'],
);

export const bpmnErrorSchema = command(
  'Throw a BPMN error at the task',
  'Caught by a matching error boundary or event sub-process, else an `unhandledBpmnError` incident.',
  { error_code: { ...name255, minLength: 1 }, error_message: str, variables: ref('VariablesInput') },
  ['error_code'],
);

export const extendLockSchema = command('Extend the lock on a task', 'The lock now ends `new_duration` ms from now.', { new_duration: duration }, ['new_duration']);

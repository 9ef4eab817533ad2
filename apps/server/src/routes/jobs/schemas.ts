import {
  body, bool, count, errorResponses, idParams, listQuery, name255, noContent, optionalBody, page, ref, str,
} from '../shared-schemas.js';

const tags = ['jobs'];

export const listSchema = {
  tags,
  summary: 'List jobs',
  description:
    'Timers, async continuations and engine-run service calls waiting to run, soonest due first. ' +
    '`failed=true`: only jobs whose retries are exhausted (a job of an instance then holds a `failedJob` incident); ' +
    '`failed=false`: only those with retries left. Sortable by `due_at`, `created_at` and `retries`.',
  querystring: listQuery({
    process_instance_id: str, type: { enum: ['timer', 'async', 'service'] }, failed: bool, activity_id: name255,
  }),
  response: { 200: page('Job'), ...errorResponses(400) },
};

export const getSchema = {
  tags,
  summary: 'One job',
  params: idParams,
  response: { 200: { description: 'the job', ...ref('Job') }, ...errorResponses(404) },
};

export const executeSchema = {
  tags,
  summary: 'Run a job now',
  description:
    'Runs the job whatever its due time or retries (a timer fires at once) and answers 204 once the instance has ' +
    'moved on. A job that fails counts as a failed attempt, as when it runs on its own (its `retries` and ' +
    '`exception_message` tell), and the answer is a 409 whose message names the error. While its instance is ' +
    'suspended the job does not run: 409. A job that already ran no longer exists: 404.',
  params: idParams,
  body: optionalBody({}),
  response: { ...noContent, ...errorResponses(400, 404, 409) },
};

export const dueDateSchema = {
  tags,
  summary: 'Set the due date of a job',
  description:
    'The job runs at `due_at` (null: now) and no longer at its old time; a time in the past runs it at once. ' +
    'Audited as `SetJobDuedate`. A timer cycle\'s next firing counts from the time the job fired.',
  params: idParams,
  body: body({ due_at: { type: ['string', 'null'], format: 'date-time' } }, ['due_at']),
  response: { 200: { description: 'the job with its new due date', ...ref('Job') }, ...errorResponses(400, 404) },
};

export const retriesSchema = {
  tags,
  summary: 'Set the retries of a job',
  description: 'From 0 to more, a failed job runs again and its `failedJob` incident is resolved.',
  params: idParams,
  body: body({ retries: count }, ['retries']),
  response: { 200: { description: 'the job with its new retries', ...ref('Job') }, ...errorResponses(400, 404) },
};

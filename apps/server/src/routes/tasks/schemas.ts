import {
  anyObject, body, bool, errorResponses, idParams, listQuery, name255, optionalBody, page, ref, str, tenantId, time,
} from '../shared-schemas.js';
import { statisticsQuery } from '../analytics/schemas.js';

const tags = ['tasks'];
const taskAnswer = (description: string) => ({ 200: { description, ...ref('TaskDetails') } });
const userId = { ...name255, minLength: 1 };
const TASK_STATUSES = ['created', 'assigned', 'delegated', 'pending', 'completed', 'cancelled'];

export const listSchema = {
  tags,
  summary: 'List user tasks',
  description: 'Open tasks unless `status` says otherwise.',
  querystring: listQuery({
    assignee: name255, candidate_user: name255, candidate_group: name255, unassigned: bool,
    process_instance_id: str, process_definition_key: name255, task_definition_key: name255,
    status: { enum: TASK_STATUSES }, due_before: time, tenant_id: tenantId,
  }),
  response: { 200: page('Task'), ...errorResponses(400) },
};

export const statisticsSchema = {
  tags: ['tasks', 'analytics'],
  summary: 'Task statistics',
  querystring: statisticsQuery,
  response: { 200: { description: 'task counts and durations', ...anyObject }, ...errorResponses(400) },
};

export const getSchema = {
  tags,
  summary: 'One task',
  params: idParams,
  response: { ...taskAnswer('the task'), ...errorResponses(404) },
};

/** A command on one task whose body holds the given fields. */
const command = (summary: string, description: string, taskBody: object, answer: string) => ({
  tags,
  summary,
  description,
  params: idParams,
  body: taskBody,
  response: { ...taskAnswer(answer), ...errorResponses(400, 404, 409) },
});

export const claimSchema = command(
  'Claim a task', '409 when it is assigned to someone else.', body({ user_id: userId }, ['user_id']), 'the claimed task',
);
export const unclaimSchema = command(
  'Give a claimed task back', 'It loses its assignee.', optionalBody({ user_id: userId }), 'the unassigned task',
);
export const assignSchema = command(
  'Assign a task', '`user_id: null` removes the assignee.',
  body({ user_id: { type: ['string', 'null'], minLength: 1, maxLength: 255 } }, ['user_id']), 'the assigned task',
);
export const delegateSchema = command(
  'Delegate a task', 'The owner keeps it; `delegation_state` becomes `pending`.',
  body({ user_id: userId }, ['user_id']), 'the delegated task',
);
export const resolveSchema = command(
  'Resolve a delegated task', 'Back to its owner; `delegation_state` becomes `resolved`.',
  optionalBody({ variables: ref('VariablesInput'), user_id: userId }), 'the resolved task',
);
export const completeSchema = command(
  'Complete a task',
  'The instance moves on before the answer. A completed, cancelled or suspended task answers 409. The variables are ' +
    'checked against the fields of the task\'s form (`form_fields`): each value is converted to its field\'s `value_type` ' +
    'and its constraints are checked; a 400 names every field in error in `details.problems` (`{ field, message }`).',
  optionalBody({ variables: ref('VariablesInput'), user_id: userId }), 'the completed task',
);

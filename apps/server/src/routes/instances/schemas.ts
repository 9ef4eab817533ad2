import {
  body, bool, cursorPage, errorResponses, idParams, listQuery, name255, noContent, ref, str, tenantId, time,
} from '../shared-schemas.js';

const tags = ['instances'];
const instanceAnswer = { 200: { description: 'the instance', ...ref('ProcessInstance') } };
const variablesAnswer = { 200: { description: 'the variables of the instance', ...ref('VariableMap') } };
const STATUSES = ['active', 'suspended', 'completed', 'terminated', 'externally_terminated'];

export const startSchema = {
  tags,
  summary: 'Start a process instance',
  description:
    'By `process_definition_key` (the latest version) or `process_definition_id`. The instance runs until every ' +
    'token waits; the answer shows it as it stands then. A suspended definition answers 409.',
  body: {
    ...body({
      process_definition_key: name255, process_definition_id: str, business_key: name255,
      variables: ref('VariablesInput'), tenant_id: tenantId, started_by: name255,
    }),
    oneOf: [{ required: ['process_definition_key'] }, { required: ['process_definition_id'] }],
  },
  response: { 201: { description: 'started', ...ref('ProcessInstance') }, ...errorResponses(400, 404, 409) },
};

export const listSchema = {
  tags,
  summary: 'List process instances',
  description:
    'Pages by `offset`, or by cursor: every full page answers `next_cursor`, and `cursor=<it>` (with the same `sort` and '
    + 'filters, no `offset`) answers the page after it, read through the index wherever it is, where a deep offset reads '
    + 'every row before the page.',
  querystring: listQuery({
    status: { enum: STATUSES }, process_definition_key: name255, process_definition_id: str, business_key: name255,
    tenant_id: tenantId, started_after: time, started_before: time, super_instance_id: str,
    cursor: { type: 'string', maxLength: 2000, description: 'the `next_cursor` of the page before' },
  }),
  response: { 200: cursorPage('ProcessInstance'), ...errorResponses(400) },
};

export const getSchema = {
  tags,
  summary: 'One instance with its activities, incidents, execution path and audit trail',
  params: idParams,
  response: { 200: { description: 'the instance', ...ref('ProcessInstanceDetails') }, ...errorResponses(404) },
};

export const terminateSchema = {
  tags,
  summary: 'Terminate an instance',
  description:
    'Status becomes `externally_terminated`; open tasks are cancelled, jobs and subscriptions removed, call-activity ' +
    'children ended. Answers 204 with no body, as Camunda does; 409 when the instance has already ended.',
  params: idParams,
  querystring: { type: 'object', additionalProperties: false, properties: { reason: str, user_id: name255 } },
  response: { ...noContent, ...errorResponses(400, 404, 409) },
};

export const eraseHistorySchema = {
  tags,
  summary: "Erase an ended instance's history",
  description:
    'Deletes the ended instance, the instances it called, and everything of theirs: variables, activity history, ' +
    'audit entries, tasks, incidents, jobs and events not yet delivered. 204 with no body; 409 while the instance ' +
    'runs, or while the instance that called it (up to the root) runs; 404 for an unknown instance. Ended root ' +
    'instances are also removed on their own once their `removal_time` has passed (their end plus the process\'s ' +
    '`camunda:historyTimeToLive`, else `HISTORY_TTL_DAYS`).',
  params: idParams,
  response: { ...noContent, ...errorResponses(404, 409) },
};

export const suspendSchema = {
  tags,
  summary: 'Suspend or activate an instance',
  description: 'While suspended, its tasks cannot be completed and its jobs do not run.',
  params: idParams,
  body: body({ suspended: bool, user_id: name255 }, ['suspended']),
  response: { ...instanceAnswer, ...errorResponses(400, 404, 409) },
};

export const getVariablesSchema = {
  tags,
  summary: 'The variables of an instance',
  params: idParams,
  response: { ...variablesAnswer, ...errorResponses(404) },
};

export const updateVariablesSchema = {
  tags,
  summary: 'Set variables of an instance',
  description: 'Answers the new variable map. An ended instance answers 409.',
  params: idParams,
  body: { type: 'array', maxItems: 1000, items: ref('VariableUpdate') },
  response: { ...variablesAnswer, ...errorResponses(400, 404, 409) },
};

const modificationInstruction = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { type: 'string', enum: ['start_before_activity', 'start_after_activity', 'start_transition', 'cancel'] },
    activity_id: name255, transition_id: name255, activity_instance_id: str,
    ancestor_activity_instance_id: { ...str, description: 'the activity instance of the sub-process to start in, where it runs more than once' },
    variables: ref('VariablesInput'),
  },
};

export const modifySchema = {
  tags,
  summary: 'Modify an instance: start tokens, cancel activity instances',
  description:
    'As Camunda 7\'s process instance modification, in one command: `start_before_activity` (`activity_id`), `start_after_activity` ' +
    '(its one outgoing flow) and `start_transition` (`transition_id`) start a token, with `variables` set as it starts, in the ' +
    'process or in the one running instance of the sub-process that holds the element (`ancestor_activity_instance_id` chooses ' +
    'where it runs more than once), which is started first where it does not run (its start event not run; not a loop or an ' +
    'event sub-process); `cancel` ends every instance of `activity_id`, or the one `activity_instance_id` names. ' +
    'Instructions run in order, each start until every token waits. A sub-process left with nothing in it is cancelled, and an ' +
    'instance left with nothing is terminated with the `annotation` as its reason. An instruction that cannot be carried out is a ' +
    '400 naming it, and nothing changes; a suspended or ended instance answers 409.',
  params: idParams,
  body: body({
    instructions: { type: 'array', minItems: 1, maxItems: 100, items: modificationInstruction },
    annotation: { type: 'string', maxLength: 4000, description: 'why: kept in the audit trail' }, user_id: name255,
  }, ['instructions']),
  response: { ...instanceAnswer, ...errorResponses(400, 404, 409) },
};

export const removeVariableSchema = {
  tags,
  summary: 'Remove a variable of an instance',
  description:
    'Removes the instance\'s own variable of that name (conditional events see the removal); 204. A name the instance does not ' +
    'have answers 404, an ended instance 409. Setting a variable to null keeps it, with the type Null.',
  params: { type: 'object', required: ['id', 'name'], properties: { id: str, name: { ...name255, minLength: 1 } } },
  querystring: { type: 'object', additionalProperties: false, properties: { user_id: name255 } },
  response: { ...noContent, ...errorResponses(404, 409) },
};

// Schemas shared by the routes: the seed's wire models (registered once by $id, so the OpenAPI document
// names them under components) and small fragments used as TypeScript constants.
//
// Response schemas document the answers; they are not used to serialize them (see serialization.ts), so
// a field the engine adds is never stripped and a variable's value passes through untouched.
import type { AnySchemaObject } from 'ajv';
import { anyObject, bool, count, int, name255, ref, str, strings, tenantId, text100, time } from './schema-primitives.js';
import { decisionDefinition, decisionDeployment, decisionInstance } from './decisions/components.js';

export { anyObject, bool, count, int, name255, ref, str, strings, tenantId, text100, time };

const valueInfo = {
  type: 'object',
  additionalProperties: false,
  properties: {
    object_type_name: name255, serialization_data_format: text100, filename: name255, mimetype: name255, encoding: name255,
  },
} as const;

const variableInput = {
  $id: 'VariableInput',
  description: '`type` is inferred from the value when left out (an integer past 2^53 is a Double); types match case-insensitively. ' +
    'A Date is ISO 8601 text (without an offset: UTC), Bytes and File are base64 text.',
  type: 'object',
  required: ['value'],
  additionalProperties: false,
  properties: { value: {}, type: str, value_info: valueInfo },
};

const variablesInput = {
  $id: 'VariablesInput',
  description: 'variable name → { value, type?, value_info? }',
  type: 'object',
  // an unnamed variable could never be read, changed or removed by its name
  propertyNames: { minLength: 1, maxLength: 255 },
  additionalProperties: ref('VariableInput'),
};

const variableUpdate = {
  $id: 'VariableUpdate',
  type: 'object',
  required: ['variable_name', 'value'],
  additionalProperties: false,
  properties: { variable_name: { type: 'string', minLength: 1, maxLength: 255 }, value: {}, type: str, value_info: valueInfo, local: bool },
};

const processVariable = {
  $id: 'ProcessVariable',
  type: 'object',
  required: ['type'],
  properties: {
    value: {}, type: str, value_info: valueInfo,
    scope: { enum: ['global', 'local', 'transient'] }, created_at: time, updated_at: time,
  },
};

const variableMap = {
  $id: 'VariableMap',
  description: 'variable name → ProcessVariable',
  type: 'object',
  additionalProperties: ref('ProcessVariable'),
};

const processTask = {
  $id: 'ProcessTask',
  type: 'object',
  required: ['id', 'name', 'type'],
  properties: {
    id: str, name: str, type: str, assignee: str, candidate_groups: strings, candidate_users: strings,
    service_type: str, service_name: str, form_key: str, documentation: str,
  },
};

const formField = {
  $id: 'FormField',
  type: 'object',
  required: ['id', 'label', 'type', 'value_type', 'required'],
  properties: {
    id: str, label: str, type: str, value_type: str, required: bool, options: strings, default_value: str,
    validation_rules: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: str, config: str } } },
  },
};

const startForm = {
  $id: 'ProcessStartForm',
  type: 'object',
  required: ['key', 'fields'],
  properties: {
    key: str,
    fields: { type: 'array', items: ref('FormField'), description: 'checked when an instance is started by POST /instances: 400 naming each field in error' },
    schema: { ...anyObject, description: 'the form-js schema of a Camunda 8 start form' },
  },
};

const processDefinition = {
  $id: 'ProcessDefinition',
  type: 'object',
  required: ['id', 'key', 'name', 'version', 'deployment_id', 'deployed_at', 'deployed_by', 'active', 'suspended', 'instances'],
  properties: {
    id: str, key: str, name: str, version: int, category: str, description: str, deployment_id: str,
    deployed_at: time, deployed_by: str, bpmn_xml: str, active: bool, suspended: bool, instances: int,
    tenant_id: str, version_tag: str, diagram: str, start_form: ref('ProcessStartForm'),
    tasks: { type: 'array', items: ref('ProcessTask') },
    audit_trail: {
      type: 'array',
      description: 'the one definition: what was done to every version of its key in its tenant, oldest first',
      items: {
        type: 'object',
        required: ['id', 'timestamp', 'operation', 'process_definition_id'],
        properties: {
          id: str, timestamp: time, operation: str, process_definition_id: str, user_id: str, property: str, org_value: str, new_value: str,
        },
      },
    },
  },
};

const deployment = {
  $id: 'Deployment',
  type: 'object',
  required: ['deployment_id', 'definitions'],
  properties: { deployment_id: str, definitions: { type: 'array', items: ref('ProcessDefinition') } },
};

const currentActivity = {
  $id: 'CurrentActivity',
  type: 'object',
  required: ['id', 'activity_id', 'type', 'status', 'started_at'],
  properties: { id: str, activity_id: str, name: str, type: str, status: str, started_at: time, assignee: str },
};

const instanceProperties = {
  id: str, process_definition_id: str, process_definition_key: str, process_definition_name: str,
  business_key: str, start_time: time, end_time: time, duration: { type: 'number' },
  removal_time: { ...time, description: "when the history of the ended instance is removed (its end plus the process's camunda:historyTimeToLive or HISTORY_TTL_DAYS); absent: kept for ever" },
  status: { enum: ['active', 'suspended', 'completed', 'terminated', 'externally_terminated'] },
  started_by: str, tenant_id: str, super_instance_id: str,
  variables: ref('VariableMap'), current_activities: { type: 'array', items: ref('CurrentActivity') },
} as const;
const instanceRequired = ['id', 'process_definition_id', 'process_definition_key', 'start_time', 'status', 'variables', 'current_activities'];

const processInstance = {
  $id: 'ProcessInstance',
  type: 'object',
  required: instanceRequired,
  properties: instanceProperties,
};

const incident = {
  $id: 'Incident',
  type: 'object',
  required: ['id', 'process_instance_id', 'incident_type', 'incident_message', 'created', 'status'],
  properties: {
    id: str, process_instance_id: str, process_definition_id: str,
    incident_type: { enum: ['failedJob', 'failedExternalTask', 'unhandledBpmnError', 'conditionError', 'failedInstruction'] },
    incident_message: str, activity_id: str, activity_name: str, execution_id: str, cause_incident_id: str,
    root_cause_incident_id: str, configuration: str, tenant_id: str, assignee: str, annotation: str, created: time,
    status: { enum: ['open', 'resolved', 'deleted'] },
    history: {
      type: 'array',
      items: { type: 'object', required: ['timestamp', 'action'], properties: { timestamp: time, action: str, message: str, user: str, details: anyObject } },
    },
    resolution: {
      type: 'object',
      properties: {
        resolved_by: str, resolved_at: time, resolution_type: str, resolution_message: str,
        corrective_actions: { type: 'array', items: anyObject },
      },
    },
  },
};

const processInstanceDetails = {
  $id: 'ProcessInstanceDetails',
  type: 'object',
  required: [...instanceRequired, 'activities', 'incidents', 'execution_path', 'audit_trail'],
  properties: {
    ...instanceProperties,
    delete_reason: str,
    activities: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'activity_id', 'type', 'status', 'start_time'],
        properties: {
          id: str, activity_id: str, instance_id: str, name: str, type: str, status: str, start_time: time,
          end_time: time, duration: { type: 'number' }, assignee: str, task_id: str, execution_id: str,
          parent_activity_instance_id: str, called_instance_id: str, called_process_instance_id: str,
          event_definition: { ...str, description: "an event's: the kind of its event definition (timer, message, error…); absent for a none event" },
          ends_scope: { ...bool, description: 'true for an element with no outgoing sequence flow: a token that leaves it ends its scope' },
        },
      },
    },
    incidents: { type: 'array', items: ref('Incident') },
    execution_path: {
      type: 'array',
      items: {
        type: 'object',
        required: ['activity_id', 'timestamp', 'execution_id'],
        properties: { activity_id: str, activity_name: str, timestamp: time, execution_id: str, transition_id: str },
      },
    },
    audit_trail: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'timestamp', 'operation'],
        properties: {
          id: str, timestamp: time, operation: str, user_id: str, task_id: str, activity_id: str, activity_name: str,
          activity_type: str, execution_id: str, assignee: str, property: str, org_value: str, new_value: str,
        },
      },
    },
  },
};

const taskProperties = {
  id: str, name: str, description: str, process_instance_id: str, process_definition_id: str,
  process_definition_key: str, task_definition_key: str, assignee: str, owner: str, created: time, due: time,
  follow_up: time, priority: int,
  status: { enum: ['created', 'assigned', 'delegated', 'pending', 'completed', 'cancelled'] },
  form_key: str, tenant_id: str, candidate_users: strings, candidate_groups: strings, variables: ref('VariableMap'),
} as const;
const taskRequired = ['id', 'process_instance_id', 'task_definition_key', 'created', 'priority', 'status', 'candidate_users', 'candidate_groups'];

const task = { $id: 'Task', type: 'object', required: taskRequired, properties: taskProperties };

const taskDetails = {
  $id: 'TaskDetails',
  type: 'object',
  required: [...taskRequired, 'execution_id', 'suspension_state', 'form_fields'],
  properties: {
    ...taskProperties,
    execution_id: str, case_execution_id: str, case_definition_id: str,
    suspension_state: { enum: ['active', 'suspended'] }, parent_task_id: str,
    delegation_state: { enum: ['pending', 'resolved'] }, end_time: time, completed_by: str,
    form_fields: { type: 'array', items: ref('FormField') },
    form_schema: { ...anyObject, description: 'the form-js schema of a form embedded in the model (zeebe:userTaskForm) or linked by id (zeebe:formDefinition formId, camunda:formRef) and deployed with it' },
  },
};

const lockedExternalTask = {
  $id: 'LockedExternalTask',
  type: 'object',
  required: ['id', 'topic_name', 'process_instance_id', 'activity_id', 'variables', 'retries', 'lock_expiration_time'],
  properties: {
    id: str, topic_name: str, worker_id: str, process_instance_id: str, process_definition_id: str,
    process_definition_key: str, activity_id: str, activity_instance_id: str, execution_id: str, business_key: str,
    tenant_id: str, variables: ref('VariableMap'), retries: int, lock_expiration_time: time, error_message: str,
    error_details: str, priority: int,
  },
};

const externalTask = {
  $id: 'ExternalTask',
  type: 'object',
  required: ['id', 'topic_name', 'process_instance_id', 'activity_id', 'retries', 'suspended'],
  properties: {
    id: str, topic_name: str, worker_id: str, process_instance_id: str, process_definition_id: str,
    process_definition_key: str, activity_id: str, activity_instance_id: str, execution_id: str, business_key: str, tenant_id: str,
    retries: int, lock_expiration_time: time, error_message: str, suspended: bool, priority: int, created_at: time,
  },
};

const job = {
  $id: 'Job',
  description: 'a timer, async continuation or engine-run service call waiting to run',
  type: 'object',
  required: ['id', 'type', 'process_definition_id', 'process_definition_key', 'activity_id', 'due_at', 'retries', 'suspended', 'created_at'],
  properties: {
    id: str, type: { enum: ['timer', 'async', 'service'] },
    process_instance_id: { ...str, description: 'absent for a timer start event, which belongs to its definition' },
    process_definition_id: str, process_definition_key: str, execution_id: { ...str, description: 'the token the job moves on; absent for a job of no instance' },
    activity_id: str, due_at: time, retries: int, exception_message: str,
    suspended: bool, created_at: time, tenant_id: str,
  },
};

const correlation = {
  $id: 'Correlation',
  description: 'where a message or signal was delivered',
  type: 'object',
  required: ['process_instance_id', 'activity_id'],
  properties: { process_instance_id: str, activity_id: str },
};

const error = {
  $id: 'Error',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: str, message: str, details: anyObject },
    },
  },
};

/** Registered on the app (for $ref and the OpenAPI components) and on the validators. */
export const sharedSchemas: readonly AnySchemaObject[] = [
  variableInput, variablesInput, variableUpdate, processVariable, variableMap, processTask, formField, startForm,
  processDefinition, deployment, decisionDefinition, decisionDeployment, decisionInstance, currentActivity, processInstance, incident, processInstanceDetails, task,
  taskDetails, lockedExternalTask, externalTask, job, correlation, error,
];

// ---- fragments ----

/** `limit`, `offset` and `sort` of every list (API.md conventions). */
const pageQueryProperties = {
  limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
  offset: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 },
  sort: { type: 'string', pattern: '^-?[a-z_]+$', description: '`field` ascending, `-field` descending' },
} as const;

export const listQuery = (properties: Record<string, unknown>) => ({
  type: 'object',
  additionalProperties: false,
  properties: { ...pageQueryProperties, ...properties },
});

/** The `{ data, total, limit, offset }` envelope of a list. */
export const page = (itemId: string) => ({
  type: 'object',
  required: ['data', 'total', 'limit', 'offset'],
  properties: { data: { type: 'array', items: ref(itemId) }, total: int, limit: int, offset: int },
});

/** The envelope of a list that also pages by cursor. */
export const cursorPage = (itemId: string) => {
  const plain = page(itemId);
  return {
    ...plain,
    properties: { ...plain.properties, next_cursor: { type: 'string', description: 'the cursor of the next page; absent when this page is not full' } },
  };
};

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', description: 'an id the engine issued; any other value answers 404' } },
} as const;

/** A request body made of the given fields only; unknown fields are a 400. */
export const body = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  ...(required.length > 0 ? { required } : {}),
  properties,
});

/** A body a client may leave out altogether (a command without arguments). */
export const optionalBody = (properties: Record<string, unknown>) => ({ ...body(properties), type: ['object', 'null'] });

/** Error answers of a route; every API route may also answer 503 while the service starts. */
export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries([...statuses, 503].map((s) => [s, { description: ERROR_DESCRIPTIONS[s] ?? 'error', ...ref('Error') }]));

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_ERROR: a bad body or query',
  404: 'NOT_FOUND',
  409: 'CONFLICT: the resource is in the wrong state',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'INVALID_BPMN: details.problems names each problem',
  503: 'UNAVAILABLE: the service is starting or a dependency is down',
};

export const noContent = { 204: { description: 'done', type: 'null' } } as const;

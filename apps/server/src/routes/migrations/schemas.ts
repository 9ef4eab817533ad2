import { body, errorResponses, name255, ref, str, strings } from '../shared-schemas.js';

const updateEventTrigger = { type: 'boolean', description: 'what waits for the source event waits for the target\'s message, signal or timer instead' };
export const migrateSchema = {
  tags: ['instances'],
  summary: 'Migrate running instances to another definition',
  description:
    'As Camunda 7\'s migration, all instances named in one transaction: every element an instance is at (its tokens, sub-processes, ' +
    'what it waits for, its tasks, jobs, incidents) maps to an element of the target of the same kind, within the target of its ' +
    'scope, by `instructions` (`source_activity_id` → `target_activity_id`) or, without them, by equal ids. Tasks keep their ' +
    'assignees and candidates, timers their due time; the instance then goes on by the target\'s flows. Boundary events and event ' +
    'sub-processes the mapping leaves out stop listening; those the target adds around what runs start listening; with ' +
    '`update_event_trigger`, what waits for a mapped event waits for the target\'s message, signal or timer. `variables` are set on ' +
    'each instance migrated. A target of another tenant is refused. ' +
    'When one instance cannot be migrated, none is: a 400 whose `details.problems` name each problem (`process_instance_id`, ' +
    '`activity_id`, `message`). An ended instance answers 409.',
  body: body({
    target_definition_id: str,
    source_definition_id: { ...str, description: 'the definition every instance must be of, as the plan made for it says' },
    process_instance_ids: { type: 'array', minItems: 1, maxItems: 1000, items: str },
    instructions: {
      type: 'array', maxItems: 1000,
      items: body({
        source_activity_id: name255, target_activity_id: name255,
        update_event_trigger: updateEventTrigger,
      }, ['source_activity_id', 'target_activity_id']),
    },
    variables: { ...ref('VariablesInput'), description: 'set on each instance migrated, as its own variables' },
    user_id: name255,
  }, ['target_definition_id', 'process_instance_ids']),
  response: {
    200: {
      description: 'the instances migrated',
      type: 'object',
      required: ['target_definition_id', 'process_instance_ids'],
      properties: { target_definition_id: str, process_instance_ids: strings },
    },
    ...errorResponses(400, 404, 409),
  },
};

const instruction = {
  type: 'object', required: ['source_activity_id', 'target_activity_id'],
  properties: { source_activity_id: str, target_activity_id: str, update_event_trigger: updateEventTrigger },
};

export const planSchema = {
  tags: ['instances'],
  summary: 'Plan a migration: the elements of the same id and kind',
  description: 'As Camunda 7\'s generated migration plan: an instruction for each element of the source whose id the target has with the same kind; ' +
    'with `update_event_triggers`, those between events that wait for a message, signal, timer or condition update their trigger.',
  body: body({ source_definition_id: str, target_definition_id: str, update_event_triggers: { type: 'boolean' } }, ['source_definition_id', 'target_definition_id']),
  response: {
    200: {
      description: 'the plan, whose instructions `POST /migrations` takes',
      type: 'object',
      required: ['source_definition_id', 'target_definition_id', 'instructions'],
      properties: { source_definition_id: str, target_definition_id: str, instructions: { type: 'array', items: instruction } },
    },
    ...errorResponses(400, 404),
  },
};

import { body, errorResponses, name255, str, strings } from '../shared-schemas.js';

export const migrateSchema = {
  tags: ['instances'],
  summary: 'Migrate running instances to another definition',
  description:
    'As Camunda 7\'s migration, all instances named in one transaction: every element an instance is at (its tokens, sub-processes, ' +
    'what it waits for, its tasks, jobs, incidents) maps to an element of the target of the same kind, within the target of its ' +
    'scope, by `instructions` (`source_activity_id` → `target_activity_id`) or, without them, by equal ids. Tasks keep their ' +
    'assignees and candidates, timers their due time; the instance then goes on by the target\'s flows. A target that adds a boundary ' +
    'event to an activity an instance is at, or an event sub-process to a scope it runs, is refused, as is one of another tenant. ' +
    'When one instance cannot be migrated, none is: a 400 whose `details.problems` name each problem (`process_instance_id`, ' +
    '`activity_id`, `message`). An ended instance answers 409.',
  body: body({
    target_definition_id: str,
    process_instance_ids: { type: 'array', minItems: 1, maxItems: 1000, items: str },
    instructions: {
      type: 'array', maxItems: 1000,
      items: body({ source_activity_id: name255, target_activity_id: name255 }, ['source_activity_id', 'target_activity_id']),
    },
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

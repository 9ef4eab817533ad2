import { errorResponses, int, str } from '../shared-schemas.js';

const tags = ['events'];

const filters = {
  after: { type: 'string', pattern: '^[0-9]{1,15}$', description: 'the id of the last event already seen: the answer starts after it' },
  types: { type: 'string', description: 'comma list of event types, e.g. `process_manager.task.created,process_manager.task.completed`' },
  process_instance_id: str,
  process_definition_key: { type: 'string', maxLength: 255 },
} as const;

const ORDER = 'Ids are positions in commit order: increasing, unique. Events of one instance come in the order ' +
  'their commands committed. Across instances every consumer sees the same order, and an event committed after ' +
  'another was published comes after it, but two commits that finish at about the same time may come in the ' +
  'order they wrote their events. Delivery is at least once: de-duplicate by `id`.';

export const event = {
  description: 'a `process_manager.*` event: the seed\'s fields of its type, plus `id`, `timestamp`, `tenant_id` and `instance_id` where there is one',
  type: 'object',
  required: ['id', 'type', 'timestamp', 'tenant_id'],
  properties: { id: str, type: str, timestamp: str, tenant_id: { type: ['string', 'null'] }, instance_id: str },
  additionalProperties: true,
} as const;

export const listSchema = {
  tags,
  summary: 'Kept events after an id, oldest first',
  description: `${ORDER} Delivered events are kept EVENT_RETENTION_HOURS (default 24).`,
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { ...filters, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } },
  },
  response: {
    200: {
      type: 'object',
      required: ['data', 'total', 'limit', 'offset'],
      properties: { data: { type: 'array', items: event }, total: int, limit: int, offset: int },
    },
    ...errorResponses(400),
  },
};

const streamFilters = {
  ...filters,
  after: {
    type: 'string', pattern: '^([0-9]{1,15}|now)$',
    description: 'the id of the last event already seen, or `now` to hear only what commits from now on; a `Last-Event-ID` header wins over it',
  },
} as const;

export const streamSchema = {
  tags,
  summary: 'Events as server-sent events',
  description: `\`text/event-stream\`: each event as \`id\`, \`event\` (its type) and \`data\` (its JSON), the kept ` +
    'events after `Last-Event-ID` (or `after`) first, then each as it commits; a comment line every 15 s. ' +
    '`after=now` sends none of the kept events: the stream starts after the newest, so a client that only wants ' +
    'to hear of changes does not read the history first; its reconnections send `Last-Event-ID` and miss nothing. ' +
    `A client that reads too slowly is disconnected and resumes with \`Last-Event-ID\`. ${ORDER}`,
  querystring: { type: 'object', additionalProperties: false, properties: streamFilters },
  headers: { type: 'object', properties: { 'last-event-id': { type: 'string', pattern: '^[0-9]{0,15}$' } } },
  response: { 200: { description: 'the stream', content: { 'text/event-stream': { schema: str } } }, ...errorResponses(400) },
};


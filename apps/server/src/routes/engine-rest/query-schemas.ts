// Schema parts every resource of /engine-rest shares: a query's parameters as a query string carries them
// (a list comma-separated) or as a POST body does (a list as an array, any field null, as Camunda's clients
// send what they leave out), a count, and Camunda's error body.
import { pagingProperties } from './paging.js';

export type ParameterSchema = { type: string; enum?: readonly unknown[] } & Record<string, unknown>;

export const tags = ['engine-rest'];
export const text = { type: 'string' } as const;
export const flag = { type: 'boolean' } as const;
export const textList = { type: 'array', items: text } as const;

export const orNull = (schema: ParameterSchema) => ({ ...schema, type: [schema.type, 'null'], ...(schema.enum ? { enum: [...schema.enum, null] } : {}) });

const camundaError = {
  type: 'object',
  required: ['type', 'message'],
  properties: { type: text, message: text },
} as const;

/** the error answers of a route: Camunda's body `{ type, message }` */
export const camundaErrors = (...statuses: number[]) =>
  Object.fromEntries([...statuses, 401, 403, 503].map((s) => [s, { description: "Camunda's error body", ...camundaError }]));

export const countAnswer = {
  200: { description: 'how many match, as CountResultDto', type: 'object', required: ['count'], properties: { count: { type: 'integer', minimum: 0 } } },
};

const inQueryString = (schema: ParameterSchema) => (schema.type === 'array' ? { type: 'string', description: 'comma-separated' } : schema);

/** a query's parameters in a query string, with the list's `firstResult`, `maxResults`, `sortBy` and `sortOrder` */
export const queryString = (parameters: Record<string, ParameterSchema>) => ({
  type: 'object',
  additionalProperties: false,
  properties: { ...pagingProperties, ...Object.fromEntries(Object.entries(parameters).map(([name, schema]) => [name, inQueryString(schema)])) },
});

/** the paging of a query sent as a POST body, which stays in the query string */
export const postedQueryPaging = {
  type: 'object',
  additionalProperties: false,
  properties: { firstResult: pagingProperties.firstResult, maxResults: pagingProperties.maxResults },
};

const sorting = { type: 'array', items: { type: 'object', additionalProperties: false, properties: { sortBy: orNull(text), sortOrder: orNull(pagingProperties.sortOrder), parameters: orNull({ type: 'object' }) } } };

/** the same parameters as a POST body, with its sorting: `sortBy` and `sortOrder`, or a `sorting` list */
export const queryBody = (parameters: Record<string, ParameterSchema>) => orNull({
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(Object.entries({ ...parameters, sortBy: pagingProperties.sortBy, sortOrder: pagingProperties.sortOrder, sorting })
    .map(([name, schema]) => [name, orNull(schema)])),
});

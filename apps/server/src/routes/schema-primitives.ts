// The smallest pieces of the routes' schemas, which every schema module builds on.

export const ref = (id: string) => ({ $ref: `${id}#` });

export const str = { type: 'string' } as const;
export const int = { type: 'integer' } as const;
export const bool = { type: 'boolean' } as const;
export const time = { type: 'string', format: 'date-time', description: 'ISO 8601 with a zone, in the years 1 to 9999 once in UTC' } as const;
export const strings = { type: 'array', items: str } as const;
export const anyObject = { type: 'object', additionalProperties: true } as const;
// Input lengths follow the columns they are stored in, so an over-long value is a 400, never a database error.
export const name255 = { type: 'string', maxLength: 255 } as const;
export const text100 = { type: 'string', maxLength: 100 } as const;
export const tenantId = text100;
/** milliseconds or a count stored in an INTEGER column */
export const count = { type: 'integer', minimum: 0, maximum: 2_147_483_647 } as const;

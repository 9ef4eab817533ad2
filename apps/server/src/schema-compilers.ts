// How route schemas are compiled.
// Requests: Fastify's default Ajv coerces types and strips unknown properties, which would let `"5"` pass
// as an integer and drop a misspelt field silently. Bodies are therefore checked as sent; only the query
// string and path, which arrive as text, are coerced to the declared types.
// Responses: the schemas document the answers but do not shape them. Fastify's schema-driven serializer
// would drop every field a schema does not list (a variable's arbitrary value, a field the engine adds)
// and coerce types silently; plain JSON is sent instead, and tests may check answers against the schemas.
import { setTimeout as sleep } from 'node:timers/promises';
import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';
import type { FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';

// ISO 8601 date-time with a zone, as the API's times are written, within years 1 to 9999 once in UTC:
// PostgreSQL refuses year 0, and JavaScript writes years past 9999 in a form PostgreSQL does not read.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');
// Date.parse rolls a day its month does not have over into the next (2026-02-30 reads as March 2).
const dayExists = (s: string): boolean => {
  const [year, month, day] = s.slice(0, 10).split('-').map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};
const isDateTime = (s: string): boolean => {
  const time = Date.parse(s);
  return DATE_TIME.test(s) && dayExists(s) && time >= EARLIEST && time <= LATEST;
};

function createAjv(coerce: boolean, shared: readonly AnySchemaObject[]): Ajv {
  const ajv = new Ajv({
    allErrors: true, coerceTypes: coerce, removeAdditional: false, useDefaults: true, allowUnionTypes: true,
    // `oneOf: [{ required: [a] }, { required: [b] }]` names properties declared beside it, which is fine.
    strict: true, strictRequired: false,
  });
  ajv.addFormat('date-time', isDateTime);
  // An uploaded model arrives as text; `binary` only tells the OpenAPI document it is a file.
  ajv.addFormat('binary', true);
  for (const schema of shared) ajv.addSchema(schema);
  return ajv;
}

export interface ValidatorCompiler {
  compiler: FastifySchemaCompiler<AnySchemaObject>;
  /** compiles the validators that no request has used yet; throws for a schema Ajv refuses */
  compilePending(): void;
  /**
   * The same, one validator at a time with a pause of `pauseMs` before each, so that requests, and the
   * database answers they wait for, are not each held behind a compilation; settles once all are
   * compiled, or rejects for a schema Ajv refuses.
   */
  compileInTurns(pauseMs?: number): Promise<void>;
}

/**
 * Compiling every route's validators took a fifth of the server's start-up, so a validator compiles when
 * its route is first asked, or when compilePending() or compileInTurns() reaches it, whichever comes first.
 */
export function createValidatorCompiler(shared: readonly AnySchemaObject[]): ValidatorCompiler {
  // each made with the first validator it compiles, as making one compiles the meta-schema to check the
  // shared schemas against
  let asSent: Ajv | undefined;
  let coercing: Ajv | undefined;
  const ajvFor = (httpPart: string | undefined): Ajv =>
    httpPart === 'body' ? (asSent ??= createAjv(false, shared)) : (coercing ??= createAjv(true, shared));
  const pending = new Set<() => ValidateFunction>();
  const compiler: FastifySchemaCompiler<AnySchemaObject> = ({ schema, httpPart }) => {
    let validate: ValidateFunction | undefined;
    const compile = () => {
      pending.delete(compile);
      return (validate ??= ajvFor(httpPart).compile(schema));
    };
    pending.add(compile);
    // Fastify reads the errors from the function it was given
    const check = (data: unknown): boolean => {
      const compiled = validate ?? compile();
      const valid = compiled(data) as boolean;
      check.errors = compiled.errors;
      return valid;
    };
    check.errors = undefined as ValidateFunction['errors'];
    return check;
  };
  const compileInTurns = async (pauseMs = 0): Promise<void> => {
    for (const compile of pending) {
      // a pending pause does not keep a closing process alive
      await sleep(pauseMs, undefined, { ref: false });
      compile();
    }
  };
  return { compiler, compilePending: () => pending.forEach((compile) => compile()), compileInTurns };
}

/** An answer that does not match the response schema of its route. */
export interface ResponseMismatch {
  method: string;
  url: string;
  status: string;
  errors: string[];
}

export function createSerializerCompiler(
  shared: readonly AnySchemaObject[],
  onMismatch?: (mismatch: ResponseMismatch) => void,
): FastifySerializerCompiler<AnySchemaObject> {
  if (!onMismatch) return () => (data: unknown) => JSON.stringify(data);
  const ajv = createAjv(false, shared);
  return ({ schema, method, url, httpStatus }) => {
    const validate = ajv.compile(schema);
    return (data: unknown) => {
      const json = JSON.stringify(data);
      if (json === undefined) return json;
      // Checked as the client will read it: undefined fields gone, dates as strings.
      if (!validate(JSON.parse(json))) {
        const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
        onMismatch({ method, url, status: String(httpStatus), errors });
      }
      return json;
    };
  };
}

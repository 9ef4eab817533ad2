// The root error handler: every failure leaves the service as `{ error: { code, message, details? } }`
// with the status of http-errors.ts. What a client sent wrong is a 4xx naming the problem; anything else
// is logged with its request id and answered with a generic 500, so no driver or stack text leaks out.
import { isEngineError } from '@dadms/process-engine';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { codeForStatus, errorBody, RequestRefusal, STATUS_BY_CODE, type ApiErrorCode, type ErrorBody } from '../http-errors.js';

interface Answer {
  status: number;
  body: ErrorBody;
}

const answer = (code: ApiErrorCode, message: string, details?: Record<string, unknown>): Answer =>
  ({ status: STATUS_BY_CODE[code], body: errorBody(code, message, details) });

type SchemaError = NonNullable<FastifyError['validation']>[number];

/** One Ajv error as a client reads it: the field concerned and what is wrong with it. */
function describe(location: string, e: SchemaError) {
  const params = e.params as Record<string, unknown>;
  let path = e.instancePath;
  let message = e.message ?? 'is invalid';
  if (e.keyword === 'additionalProperties') {
    path += `/${String(params.additionalProperty)}`;
    message = 'is not a known field';
  } else if (e.keyword === 'required') {
    path += `/${String(params.missingProperty)}`;
    message = 'is required';
  }
  return { location, path, keyword: e.keyword, message };
}

function validationAnswer(err: FastifyError): Answer {
  const location = err.validationContext ?? 'body';
  const errors = (err.validation ?? []).map((e) => describe(location, e));
  const shown = errors.slice(0, 3).map((e) => `${e.location}${e.path} ${e.message}`).join('; ');
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
  return answer('VALIDATION_ERROR', `${shown}${more}`, { errors });
}

/** the status and envelope of a failure, as this API answers it */
export function errorAnswer(err: FastifyError, request: FastifyRequest): Answer {
  if (err.validation) return validationAnswer(err);
  if (err instanceof RequestRefusal) return answer(err.code, err.message);
  if (isEngineError(err)) {
    if (err.code === 'UNAVAILABLE') {
      // The engine's message may quote the database driver: log it, answer without it.
      request.log.warn({ err }, 'dependency unavailable');
      return answer('UNAVAILABLE', 'The service is temporarily unavailable; try again later');
    }
    return answer(err.code, err.message, err.details);
  }
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return answer('VALIDATION_ERROR', 'The request body is not valid JSON');
  const status = err.statusCode ?? 500;
  // Fastify's and its plugins' own client errors (body too large, media type, multipart limits) carry
  // a status and a sentence of their own; their status is normalised through the one table.
  if (err.code?.startsWith('FST_') && status >= 400 && status < 500) return answer(codeForStatus(status), err.message);
  request.log.error({ err }, 'request failed');
  return answer('INTERNAL_ERROR', `An internal error occurred; quote request id ${request.id} when reporting it`);
}

/**
 * The router's own refusals, before any route runs (Fastify's `frameworkErrors`): a path segment longer than
 * any id is an id that names nothing, a 404 as for any id not of the engine's format; a URL that cannot be
 * decoded is a 400.
 */
export function answerFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const path = request.url.split('?')[0];
  const { status, body } = err.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? answer('NOT_FOUND', `No resource has the id given in ${request.method} ${path.slice(0, 200)}: it is longer than any id`)
    : err.statusCode !== undefined && err.statusCode < 500 ? answer(codeForStatus(err.statusCode), err.message) : errorAnswer(err, request);
  void reply.code(status).send(body);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = errorAnswer(err, request);
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    return reply.code(404).send(errorBody('NOT_FOUND', `No route ${request.method} ${path}`));
  });
}

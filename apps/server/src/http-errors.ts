// The one table from error code to HTTP status. Codes are API (clients switch on them); the engine's
// codes are all here, plus the few only the HTTP layer produces.
import type { ErrorCode } from '@dadms/process-engine';

export type ApiErrorCode = ErrorCode | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'UNSUPPORTED_MEDIA_TYPE' | 'INTERNAL_ERROR';

export const STATUS_BY_CODE: Readonly<Record<ApiErrorCode, number>> = {
  VALIDATION_ERROR: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  // a status with two codes answers the later one for errors raised with a status only
  INVALID_DMN: 422,
  INVALID_BPMN: 422,
  INTERNAL_ERROR: 500,
  UNAVAILABLE: 503,
};

const CODE_BY_STATUS = new Map(Object.entries(STATUS_BY_CODE).map(([code, status]) => [status, code as ApiErrorCode]));

/** The code for a client error raised by Fastify or a plugin with only a status; a bad request by default. */
export const codeForStatus = (status: number): ApiErrorCode => CODE_BY_STATUS.get(status) ?? 'VALIDATION_ERROR';

export interface ErrorBody {
  error: { code: ApiErrorCode; message: string; details?: Record<string, unknown> };
}

export const errorBody = (code: ApiErrorCode, message: string, details?: Record<string, unknown>): ErrorBody => ({
  error: { code, message, ...(details === undefined ? {} : { details }) },
});


/**
 * The HTTP layer's own refusal of a request (its token, its permission), raised in a hook so that the
 * error handler of the route's API answers it in that API's body: this API's envelope, or Camunda's at
 * /engine-rest.
 */
export class RequestRefusal extends Error {
  /** the status, for a handler that knows only Fastify's errors */
  readonly statusCode: number;

  constructor(readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN', message: string) {
    super(message);
    this.name = 'RequestRefusal';
    this.statusCode = STATUS_BY_CODE[code];
  }
}

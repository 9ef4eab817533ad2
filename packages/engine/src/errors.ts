// Stable error codes: they are API (the server maps each to one HTTP status); messages are for people
// and name the element, instance or field concerned.
export type ErrorCode =
  | 'VALIDATION_ERROR'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'INVALID_BPMN'
  | 'INVALID_DMN'
  | 'UNAVAILABLE';

export interface Problem {
  element_id: string | null;
  message: string;
}

export class EngineError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'EngineError';
    this.code = code;
    this.details = options.details;
  }
}

export const isEngineError = (e: unknown): e is EngineError => e instanceof EngineError;

export const notFound = (what: string, id: string) => new EngineError('NOT_FOUND', `${what} '${id}' does not exist`);
export const forbidden = (message: string) => new EngineError('FORBIDDEN', message);
export const conflict = (message: string) => new EngineError('CONFLICT', message);
export const invalid = (message: string, details?: Record<string, unknown>) =>
  new EngineError('VALIDATION_ERROR', message, { details });
export const invalidBpmn = (problems: Problem[]) =>
  new EngineError('INVALID_BPMN', `The BPMN model is invalid: ${problems.length} problem(s), first: ${problems[0]?.message}`, {
    details: { problems },
  });
export const invalidDmn = (problems: Problem[]) =>
  new EngineError('INVALID_DMN', `The DMN model is invalid: ${problems.length} problem(s), first: ${problems[0]?.message}`, {
    details: { problems },
  });

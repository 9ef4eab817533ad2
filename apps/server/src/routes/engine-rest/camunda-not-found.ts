// Camunda names what it did not find in words of its own, which its clients show and some scripts match.
import { EngineError, isEngineError, type ErrorCode } from '@dadms/process-engine';

export const isEngineErrorOf = (e: unknown, ...codes: ErrorCode[]): boolean => isEngineError(e) && codes.includes(e.code);

/** a `catch` that rethrows the engine's NOT_FOUND with Camunda's message, and any other error as it is */
export const notFoundAs = (message: string) => (e: unknown): never => {
  throw isEngineErrorOf(e, 'NOT_FOUND') ? new EngineError('NOT_FOUND', message) : e;
};

import { ApiError } from '../api/client.js';

/** The engine's refusal of submitted form values, as a message per field id. */
export function fieldProblems(error: Error | undefined): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries((error.details?.problems ?? []).flatMap((p) => (p.field ? [[p.field, p.message]] : [])));
}

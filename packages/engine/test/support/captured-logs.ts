// An engine logger that keeps every line as text, errors with their message, stack and cause, so that a
// test can look for what no log may hold.
import type { EngineOptions } from '../../src/index.js';

export function capturedLogs(): { lines: string[]; logger: NonNullable<EngineOptions['logger']> } {
  const lines: string[] = [];
  const log = (details: unknown, message?: string) => void lines.push(JSON.stringify({ details, message }, (_k, v: unknown) =>
    (v instanceof Error ? { message: v.message, stack: v.stack, cause: String(v.cause) } : v)));
  return { lines, logger: { info: log, warn: log, error: log } };
}

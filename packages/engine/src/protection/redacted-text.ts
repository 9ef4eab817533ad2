// Error texts written beside an instance (incident messages, a failed job's or worker's error) may quote
// what an expression or a service saw, protected values among it: each such value in them becomes `***`.
import { MASK } from './mask.js';

/** the text with every occurrence of the values, of their JSON, and of the strings and numbers within them masked */
export function redactedText(text: string, values: Iterable<unknown>): string {
  const found = new Set<string>();
  for (const value of values) collect(value, found);
  let redacted = text;
  // longer first, so that no part of a value is masked before the whole of it
  for (const piece of [...found].sort((a, b) => b.length - a.length)) redacted = redacted.split(piece).join(MASK);
  return redacted;
}

function collect(value: unknown, into: Set<string>): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'object') {
    into.add(JSON.stringify(value));
    for (const inner of Object.values(value)) collect(inner, into);
    return;
  }
  const text = String(value);
  if (text) into.add(text);
  if (typeof value === 'string') into.add(JSON.stringify(value));
}

// Builders for FEEL source text, used wherever other notations (JUEL, Camunda list/map mappings,
// literal template parts) are turned into FEEL.

/** A FEEL string literal. FEEL strings may not hold a raw line break, so those are escaped too. */
export function feelString(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r');
  return `"${escaped}"`;
}

/** A FEEL number literal; FEEL has no exponent notation, so numbers that would need it are refused. */
export function feelNumber(value: number): string | undefined {
  const text = String(value);
  return Number.isFinite(value) && !/e/i.test(text) ? text : undefined;
}

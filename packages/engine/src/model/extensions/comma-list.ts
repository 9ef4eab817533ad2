/**
 * Splits `a, b, ${c}` into its trimmed, non-empty entries. Commas inside `${…}` belong to the
 * expression; a FEEL expression (`=…`) is one entry that evaluates to the whole list.
 */
export function splitCommaList(text: string): string[] {
  if (text.trim().startsWith('=')) return [text.trim()];
  const entries: string[] = [];
  let current = '';
  let depth = 0;
  for (const char of text) {
    if (char === '{') depth++;
    if (char === '}') depth = Math.max(0, depth - 1);
    if (char === ',' && depth === 0) {
      entries.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  entries.push(current);
  return entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
}

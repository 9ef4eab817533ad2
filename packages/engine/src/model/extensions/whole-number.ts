/** A whole number written as an attribute's text (spaces around allowed); undefined for anything else. */
export function wholeNumber(value: string): number | undefined {
  return /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}

export type Params = Record<string, string | number | boolean | undefined>;

/** `?a=1&b=x` from the parameters that are set, or '' when none is. */
export function searchString(params: Params): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

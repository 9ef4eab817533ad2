// Conversions every row → wire mapping shares: the drivers hand back timestamps and int8 columns in
// different shapes (STACK.md), and the wire omits absent optional fields instead of sending null.

/** A timestamptz column (a Date from both drivers) as the wire's ISO 8601 UTC string. */
export const iso = (value: Date | string): string => new Date(value).toISOString();

/** An int8 or numeric value: postgres.js answers a string, PGlite a number (a bigint above 2^53). */
export const num = (value: string | number | bigint): number => Number(value);

/** `{ [key]: value }` when the value is present, `{}` otherwise: spread it into a wire object. */
export const opt = <K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } =>
  (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

/** An optional timestamp column as an optional ISO field. */
export const optIso = <K extends string>(key: K, value: Date | string | null | undefined): { [P in K]?: string } =>
  opt(key, value === null || value === undefined ? null : iso(value));

/** An optional int8 column as an optional number field. */
export const optNum = <K extends string>(key: K, value: string | number | bigint | null | undefined): { [P in K]?: number } =>
  opt(key, value === null || value === undefined ? null : num(value));

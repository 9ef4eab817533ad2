// What stands in for a protected value wherever it is shown without being decrypted (API.md, "Events").
export const MASK = '***';

/** how a protected value is hidden where it must not be shown decrypted: events, logs, error texts */
export interface ValueMasking {
  /** an event with each protected value among its `variables` replaced by the mask */
  maskEvent<E extends Record<string, unknown>>(event: E): E;
  /** the text with the protected values among these variables masked */
  redact(text: string, variables: Iterable<readonly [string, { value: unknown }]>): string;
}

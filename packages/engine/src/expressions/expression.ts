/**
 * An expression compiled at deploy time. `feel` is FEEL text ready for feelin: Zeebe `=expr` with the
 * `=` stripped, Camunda 7 `${…}` translated, a composite template (`user-${id}`) as a FEEL string
 * concatenation. A plain literal (`assignee="demo"`) keeps `literal` and is never evaluated.
 */
export interface Expression {
  readonly source: string;
  readonly feel?: string;
  readonly literal?: string;
  /** its evaluation may run without bound (a loop, a regular expression…), so it runs under a time limit */
  readonly openEnded?: true;
  /**
   * A `${…}` expression whose null operands `feel` coerces as EL does (`null > 1` is false): the same
   * without those coercions, which decides instead once a variable it reads does not exist at all.
   */
  readonly strict?: string;
}

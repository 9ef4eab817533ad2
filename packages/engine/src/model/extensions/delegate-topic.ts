// The topic of a Camunda 7 Java delegate, which this engine runs as an external task. It is the job type
// Camunda's own migration tooling (the Camunda 7 to 8 diagram converter) gives the job worker that
// replaces the delegate: a handler written for a migrated model serves this engine unchanged, and each
// class, bean or bean method gets a topic, and so a handler, of its own.

/** The camunda:* attributes by which a service-like element names Java code, in the order they are read. */
export const DELEGATE_ATTRIBUTES = ['class', 'delegateExpression', 'expression'] as const;

export type DelegateAttribute = (typeof DELEGATE_ATTRIBUTES)[number];

/**
 * - camunda:class: the simple name of the class with a lower-case first letter, the name Spring gives
 *   its bean: `org.example.ChargeCardDelegate` → `chargeCardDelegate`;
 * - camunda:delegateExpression, camunda:expression: the text inside `${…}` or `#{…}` without the method
 *   arguments, each `.` dropped and the letter after it upper-cased: `${chargeCard}` → `chargeCard`,
 *   `${payments.charge(order)}` → `paymentsCharge`.
 *
 * Empty when nothing is left to name a topic by.
 */
export function delegateTopic(attribute: DelegateAttribute, value: string): string {
  const written = value.trim();
  if (attribute === 'class') {
    const simpleName = written.slice(written.lastIndexOf('.') + 1);
    return simpleName.charAt(0).toLowerCase() + simpleName.slice(1);
  }
  const body = /[$#]\{(.*)\}/.exec(written)?.[1] ?? written;
  return body.replace(/\.(.?)/g, (_dot, next: string) => next.toUpperCase()).replace(/\(.*\)/, '').trim();
}

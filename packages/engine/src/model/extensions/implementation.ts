import type { ExternalTaskSpec } from '../process-model.js';

/**
 * How the work of a service-like element (service, send, business rule and script tasks, message
 * throw events) is done, as declared by a vendor extension.
 */
export type Implementation =
  | { readonly kind: 'external'; readonly spec: ExternalTaskSpec }
  /** something this engine may not run, named as written: `camunda:class="org.example.Charge"` */
  | { readonly kind: 'other'; readonly key: string; readonly description: string }
  /** declared but unreadable (a topic that does not compile): already reported as a problem */
  | { readonly kind: 'invalid' };

/** Tasks that need an implementation, which for this engine means an external worker. */
export const SERVICE_LIKE_TASKS: ReadonlySet<string> = new Set(['serviceTask', 'sendTask', 'businessRuleTask']);

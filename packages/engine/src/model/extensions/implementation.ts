import type { HttpConnectorSpec } from '../../connectors/http-connector-spec.js';
import type { DecisionRefSpec, ExternalTaskSpec, IoMapping } from '../process-model.js';

/**
 * How the work of a service-like element (service, send, business rule and script tasks, message
 * throw events) is done, as declared by a vendor extension.
 */
export type Implementation =
  | {
    readonly kind: 'external'; readonly spec: ExternalTaskSpec;
    /** mappings the implementation adds to the element's own: those of a Camunda 7 expression's resultVariable */
    readonly io?: { readonly inputs: readonly IoMapping[]; readonly outputs: readonly IoMapping[] };
  }
  /** an HTTP call the engine makes itself */
  | { readonly kind: 'connector'; readonly spec: HttpConnectorSpec }
  /** a business rule task's decision, evaluated by the engine */
  | { readonly kind: 'decision'; readonly spec: DecisionRefSpec }
  /** something this engine may not run, named as written: `camunda:decisionRef="approve"`; `hint` when the usual one does not fit */
  | { readonly kind: 'other'; readonly key: string; readonly description: string; readonly hint?: string }
  /** declared but unreadable (a topic that does not compile): already reported as a problem */
  | { readonly kind: 'invalid' };

/** Tasks that need an implementation: an external worker or the HTTP connector. */
export const SERVICE_LIKE_TASKS: ReadonlySet<string> = new Set(['serviceTask', 'sendTask', 'businessRuleTask']);

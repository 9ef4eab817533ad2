import type { Expression } from '../expressions/expression.js';
import type { IoMapping } from '../model/process-model.js';

/**
 * A call of an HTTP service that the engine makes itself, compiled from either dialect: Camunda 7's
 * `camunda:connector` with connectorId http-connector, or Camunda 8's REST connector
 * (`zeebe:taskDefinition type="io.camunda:http-json:1"`). The request expressions are evaluated in the
 * task's scope; the result is turned into variables by `outputs` (Camunda 7) or `resultVariable` and
 * `resultExpression` (Camunda 8).
 */
export interface HttpConnectorSpec {
  readonly url: Expression;
  /** GET when absent */
  readonly method?: Expression;
  /** a context of header names to values */
  readonly headers?: Expression;
  /** a context of query parameters, appended to the url */
  readonly query?: Expression;
  /** text is sent as it is; anything else as JSON */
  readonly body?: Expression;
  /** for the whole call, 20 when absent */
  readonly timeoutSeconds?: Expression;
  /** camunda:outputParameter of the connector, evaluated over { response, statusCode, headers } */
  readonly outputs: readonly IoMapping[];
  /** Camunda 8: the whole result { status, headers, body } is stored under this name */
  readonly resultVariable?: string;
  /** Camunda 8: FEEL over { status, headers, body, response } yielding a context whose entries become variables */
  readonly resultExpression?: Expression;
  /** as for external tasks: zeebe:taskDefinition retries, or the R<n> of camunda:failedJobRetryTimeCycle */
  readonly retries?: number;
  readonly retryTimeCycle?: string;
}

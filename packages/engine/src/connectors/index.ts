// Built-in connectors: calls of outside services that the engine makes itself for a task, where other
// tasks wait for an external worker.
export { HttpCallError } from './http-call-error.js';
export type { HttpConnectorSpec } from './http-connector-spec.js';
export { buildHttpRequest, performHttpRequest, resultVariables, type HttpRequest, type HttpResult } from './http-connector.js';

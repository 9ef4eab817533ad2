// Built-in connectors: calls of outside services that the engine makes itself for a task, where other
// tasks wait for an external worker.
export { HttpCallError } from './http-call-error.js';
export type { HttpConnectorSpec } from './http-connector-spec.js';
export { buildHttpRequest, resultVariables, type HttpRequest, type HttpResult } from './http-connector.js';
export { performHttpRequest, type CallOptions, type HttpCallPolicy } from './perform-http-request.js';
export { environmentSecrets, secretNamesOf, type SecretSource } from './connector-secrets.js';
export { systemResolver, type HostResolver } from './checked-lookup.js';
export { parseAllowedUrl, type AllowedUrl } from './url-allow-list.js';

// The engine's public surface. Another Node service embeds the engine with createEngine(options).
export { createEngine } from './engine.js';
export type * from './api/engine.js';
export type * from './api/handlers.js';
export type * from './api/instance-changes.js';
export type * from './api/types.js';
export type * from './api/decision-types.js';
export type { Caller, Role } from './access/caller.js';
export type * from './queries/analytics/types.js';
export { BpmnError } from './jobs/bpmn-error.js';
export { EngineError, isEngineError, type ErrorCode, type Problem } from './errors.js';
export { ANSWER_PENDING, IdempotencyKeyTaken, isIdempotencyKeyTaken } from './commands/idempotency-claim.js';
export { isEngineId } from './util/ids.js';
export { decodeXml } from './model/decode-xml.js';
export { parseEncryptionKeys } from './protection/encryption-keys.js';
export { parseProtectedNames, protectedNames } from './protection/protected-names.js';
export { parseAllowedUrl } from './connectors/url-allow-list.js';

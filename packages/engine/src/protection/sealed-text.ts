// How an encrypted value is written in a text column: `enc:v1:<key id>:<base64 of iv, tag, ciphertext>`.
// No JSON text starts so, and every column that holds a protected value holds JSON text otherwise, so a
// reader tells the two apart without knowing which names are protected now.
import { EngineError } from '../errors.js';

export const SEALED_PREFIX = 'enc:v1:';

export const isSealed = (text: string): boolean => text.startsWith(SEALED_PREFIX);

export const keyIdOf = (sealed: string): string => sealed.slice(SEALED_PREFIX.length, sealed.indexOf(':', SEALED_PREFIX.length));

/** a value under a key that is not configured (any more, or not in this process) */
export const missingKey = (keyId: string): EngineError =>
  new EngineError('UNAVAILABLE', `A protected variable value is encrypted under key '${keyId}', which is not among the configured encryption keys`);

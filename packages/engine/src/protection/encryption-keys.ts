// The keys that encrypt protected variable values. Each has an id, written beside every value it
// encrypts, so that a value stays readable under any listed key while the first one encrypts.
// Problems name a key by its id or its place in the list, never show the key itself.

export interface EncryptionKey {
  /** letters, digits, `_` or `-`, at most 32 */
  id: string;
  /** 32 bytes, or their base64 */
  key: string | Uint8Array;
}

export interface CheckedKey {
  id: string;
  secret: Buffer;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const KEY_BYTES = 32;
/** standard or URL-safe base64, padded or not: Buffer.from would skip any other character silently */
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

export function checkEncryptionKeys(keys: readonly EncryptionKey[]): { keys: CheckedKey[]; problems: string[] } {
  const problems: string[] = [];
  const checked: CheckedKey[] = [];
  const seen = new Set<string>();
  keys.forEach(({ id, key }, i) => {
    const which = KEY_ID.test(id) ? `key '${id}'` : `key ${i + 1}`;
    if (!KEY_ID.test(id)) problems.push(`${which} has no valid id: one of 1 to 32 letters, digits, _ or - is needed`);
    else if (seen.has(id)) problems.push(`key id '${id}' is given more than once`);
    seen.add(id);
    const secret = typeof key === 'string' ? (BASE64.test(key) ? Buffer.from(key, 'base64') : undefined) : Buffer.from(key);
    if (!secret) problems.push(`${which} is not base64`);
    else if (secret.length !== KEY_BYTES) problems.push(`${which} must be ${KEY_BYTES} bytes, it has ${secret.length}`);
    else checked.push({ id, secret });
  });
  return { keys: problems.length ? [] : checked, problems };
}

/** `id:base64,id:base64`, as VARIABLE_ENCRYPTION_KEYS writes the keys */
export function parseEncryptionKeys(text: string): { keys: EncryptionKey[]; problems: string[] } {
  const problems: string[] = [];
  const keys: EncryptionKey[] = [];
  text.split(',').map((entry) => entry.trim()).forEach((entry, i) => {
    const colon = entry.indexOf(':');
    if (colon < 0) problems.push(`entry ${i + 1} must be keyId:base64-key`);
    else keys.push({ id: entry.slice(0, colon).trim(), key: entry.slice(colon + 1).trim() });
  });
  return { keys, problems: [...problems, ...checkEncryptionKeys(keys).problems] };
}

// AES-256-GCM over the text of a value, under the first configured key; any configured key opens. A
// keyed hash (HMAC-SHA256, under a key derived from the encryption key) stands in for a protected value
// where one must be found by value, as message correlation does.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { CheckedKey } from './encryption-keys.js';
import { isSealed, keyIdOf, missingKey, SEALED_PREFIX } from './sealed-text.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

interface KeyPair {
  secret: Buffer;
  /** its own key for the lookup hash: one key never serves two algorithms */
  lookup: Buffer;
}

export class ValueCipher {
  readonly currentKeyId: string;
  readonly #keys = new Map<string, KeyPair>();

  constructor(keys: readonly CheckedKey[]) {
    if (keys.length === 0) throw new Error('a value cipher needs a key');
    this.currentKeyId = keys[0]!.id;
    for (const { id, secret } of keys) {
      this.#keys.set(id, { secret, lookup: Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'process variable lookup', 32)) });
    }
  }

  /** the ids of the keys that only decrypt */
  get olderKeyIds(): string[] {
    return [...this.#keys.keys()].filter((id) => id !== this.currentKeyId);
  }

  seal(text: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(this.currentKeyId)!.secret, iv);
    const encrypted = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return `${SEALED_PREFIX}${this.currentKeyId}:${Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64')}`;
  }

  /** the text of a sealed value; text that is not sealed is answered as it is */
  open(text: string): string {
    if (!isSealed(text)) return text;
    const keyId = keyIdOf(text);
    const key = this.#keys.get(keyId);
    if (!key) throw missingKey(keyId);
    const bytes = Buffer.from(text.slice(SEALED_PREFIX.length + keyId.length + 1), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key.secret, bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  /** the hash a variable of this name and value text is found by, under the first key */
  lookupHash(name: string, text: string): string {
    return this.#hash(this.currentKeyId, name, text);
  }

  /** the same under every key: rows not yet rotated carry an older key's */
  lookupHashes(name: string, text: string): string[] {
    return [...this.#keys.keys()].map((id) => this.#hash(id, name, text));
  }

  #hash(keyId: string, name: string, text: string): string {
    return `${keyId}:${createHmac('sha256', this.#keys.get(keyId)!.lookup).update(`${name}\0${text}`).digest('base64url')}`;
  }
}

// The parts of variable protection that need no database: keys as configured, names as patterns, the
// cipher and its lookup hash, and the masking of events.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEncryptionKeys, parseProtectedNames, protectedNames } from '../../src/index.js';
import { checkEncryptionKeys } from '../../src/protection/encryption-keys.js';
import { ValueCipher } from '../../src/protection/value-cipher.js';
import { createVariableProtection } from '../../src/protection/variable-protection.js';
import type { JobRow } from '../../src/execution/instance-state.js';

const base64Key = (bytes = 32) => randomBytes(bytes).toString('base64');
const cipherOf = (...ids: string[]) => new ValueCipher(ids.map((id) => ({ id, secret: Buffer.from(id.padEnd(32, '.')) })));

describe('encryption keys as configured', () => {
  it('reads id:base64 pairs, the first one first', () => {
    const [a, b] = [base64Key(), base64Key()];
    const { keys, problems } = parseEncryptionKeys(` k2026:${a} , k2025:${b}`);
    expect(problems).toEqual([]);
    expect(keys).toEqual([{ id: 'k2026', key: a }, { id: 'k2025', key: b }]);
    expect(checkEncryptionKeys(keys).keys.map((k) => k.secret.toString('base64'))).toEqual([a, b]);
  });

  it('names each bad key by its id or place, never showing a key', () => {
    const short = base64Key(16);
    const good = base64Key();
    const text = `a:${short},b:not*base64,a:${good},${good},bad id:${good}`;
    const { problems } = parseEncryptionKeys(text);
    expect(problems).toEqual([
      'entry 4 must be keyId:base64-key',
      "key 'a' must be 32 bytes, it has 16",
      "key 'b' is not base64",
      "key id 'a' is given more than once",
      'key 4 has no valid id: one of 1 to 32 letters, digits, _ or - is needed',
    ]);
    for (const secret of [short, good, 'not*base64']) expect(problems.join('\n')).not.toContain(secret);
  });

  it('refuses protected names without a key to encrypt them', () => {
    expect(() => createVariableProtection({ keys: [], protectedVariables: ['ssn'] })).toThrow('Protected variables need at least one encryption key');
    expect(createVariableProtection({ keys: [], protectedVariables: [] })).toBeUndefined();
  });
});

describe('protected names', () => {
  it('match names and * patterns whole, other characters literally', () => {
    const isProtected = protectedNames(parseProtectedNames(' ssn, card_* ,*.secret,'));
    expect(['ssn', 'card_', 'card_number', 'api.secret', '.secret'].filter((n) => !isProtected(n))).toEqual([]);
    expect(['ssn2', 'xssn', 'my_card_number', 'apiXsecret', 'api.secret.old'].filter(isProtected)).toEqual([]);
  });

  it('protect nothing without patterns', () => {
    expect(protectedNames([])('anything')).toBe(false);
  });
});

describe('the value cipher', () => {
  it('encrypts under the first key, differently each time, and any key opens', () => {
    const text = JSON.stringify('SSN-123');
    const sealed = [cipherOf('old').seal(text), cipherOf('old').seal(text)];
    expect(sealed[0]).toMatch(/^enc:v1:old:/);
    expect(sealed[0]).not.toBe(sealed[1]);
    expect(sealed[0]).not.toContain('SSN');
    expect(sealed.map((s) => cipherOf('new', 'old').open(s))).toEqual([text, text]);
    expect(cipherOf('new', 'old').seal(text)).toMatch(/^enc:v1:new:/);
  });

  it('answers text that is not encrypted as it is', () => {
    expect(cipherOf('k').open('{"a":1}')).toBe('{"a":1}');
  });

  it('names a key it does not have, and refuses a changed value', () => {
    const sealed = cipherOf('gone').seal('"x"');
    expect(() => cipherOf('other').open(sealed)).toThrow("encrypted under key 'gone', which is not among the configured encryption keys");
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => cipherOf('gone').open(tampered)).toThrow();
  });

  it('hashes name and value under each key, the first key first', () => {
    const both = cipherOf('new', 'old');
    expect(both.lookupHashes('ssn', '"1"')).toEqual([both.lookupHash('ssn', '"1"'), cipherOf('old').lookupHash('ssn', '"1"')]);
    expect(both.lookupHash('ssn', '"1"')).not.toBe(both.lookupHash('tax_id', '"1"'));
    expect(both.lookupHash('ssn', '"1"')).not.toContain('1"');
  });
});

describe('masking', () => {
  const protection = createVariableProtection({ keys: [{ id: 'k', key: base64Key() }], protectedVariables: ['card_*'] })!;

  it('replaces protected values with ***, and leaves the others', () => {
    const variables = { card_number: 4111, amount: 12 };
    expect(protection.maskVariables(variables)).toEqual({ card_number: '***', amount: 12 });
    expect(variables.card_number).toBe(4111);
  });

  it('masks the protected values an error text quotes, whole, and nothing else', () => {
    const variables = new Map<string, { value: unknown }>([
      ['card_holder', { value: { name: 'Ada Lovelace', pin: 4321 } }], ['card_no', { value: 'Ada' }], ['amount', { value: 'Lovelace' }],
    ]);
    expect(protection.redact('holder {"name":"Ada Lovelace","pin":4321}; Ada Lovelace paid with 4321, Lovelace', variables))
      .toBe('holder ***; *** paid with ***, Lovelace');
    expect(protection.redact('nothing here', new Map([['amount', { value: 5 }]]))).toBe('nothing here');
  });

  it('answers variables with nothing protected as they are', () => {
    const variables = { amount: 12 };
    expect(protection.maskVariables(variables)).toBe(variables);
  });
});

describe('job payloads', () => {
  it('seals the variables a thrown signal carries, as it seals a service call\'s request, and no other job\'s payload', () => {
    const protection = createVariableProtection({ keys: [{ id: 'k1', key: base64Key() }], protectedVariables: ['ssn'] })!;
    const payload = JSON.stringify({ signal_name: 'alarm', variables: { ssn: { value: 'SSN-1', type: 'String' } } });
    const row = (handler: JobRow['handler']) => ({ handler, payload }) as JobRow;
    const sealed = protection.sealJob(row('signal-throw'));
    expect(sealed.payload).toMatch(/^enc:v1:k1:/);
    expect(sealed.payload).not.toContain('SSN-1');
    expect(protection.openJob(sealed).payload).toBe(payload);
    expect(protection.sealJob(row('timer-start')).payload).toBe(payload);
  });
});

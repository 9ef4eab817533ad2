// Protected variables through the service: VARIABLE_ENCRYPTION_KEYS and PROTECTED_VARIABLES as the
// engine's options (a bad key named, never shown), and the API answering protected values decrypted,
// an idempotent replay included.
import { randomBytes } from 'node:crypto';
import { testBackends } from '@dadms/process-engine/testing';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { engineOptions } from '../src/engine-options.js';
import { userTaskModel } from './models.js';
import { call, configProblems, expectContractKept, startTestApp, type TestApp } from './support.js';

const base64Key = (bytes = 32) => randomBytes(bytes).toString('base64');

describe('variable protection settings', () => {
  it('hands the keys and the protected names to the engine', () => {
    const [a, b] = [base64Key(), base64Key()];
    const config = loadConfig({ VARIABLE_ENCRYPTION_KEYS: `k2:${a},k1:${b}`, PROTECTED_VARIABLES: 'ssn, card_*' });
    expect(engineOptions(config, pino({ level: 'silent' })).variableProtection).toEqual({
      keys: [{ id: 'k2', key: a }, { id: 'k1', key: b }], protectedVariables: ['ssn', 'card_*'],
    });
    expect(engineOptions(loadConfig({}), pino({ level: 'silent' })).variableProtection).toBeUndefined();
  });

  it('names each bad key and the variable, never echoing a key', () => {
    const short = base64Key(16);
    const good = base64Key();
    const problems = configProblems({ VARIABLE_ENCRYPTION_KEYS: `a:${short},b:%%%,a:${good}` });
    expect(problems).toEqual([
      "VARIABLE_ENCRYPTION_KEYS: key 'a' must be 32 bytes, it has 16",
      "VARIABLE_ENCRYPTION_KEYS: key 'b' is not base64",
      "VARIABLE_ENCRYPTION_KEYS: key id 'a' is given more than once",
    ]);
    for (const secret of [short, good]) expect(problems.join('\n')).not.toContain(secret);
  });

  it('refuses protected names without keys', () => {
    expect(configProblems({ PROTECTED_VARIABLES: 'ssn' })).toEqual(['PROTECTED_VARIABLES needs VARIABLE_ENCRYPTION_KEYS to encrypt them with']);
  });
});

describe.each(testBackends())('protected variables through the API on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'variable-protection', {
      variableProtection: { keys: [{ id: 'k1', key: base64Key() }], protectedVariables: ['ssn'] },
    });
    await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('protected') });
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  it('answers a protected variable decrypted, in a replayed answer too', async () => {
    const headers = { 'idempotency-key': 'protected-start' };
    const body = { process_definition_key: 'protected', variables: { ssn: { value: 'SSN-987' } } };
    const first = await call(t.app, 'POST', '/instances', body, headers);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().variables.ssn.value).toBe('SSN-987');
    const repeat = await call(t.app, 'POST', '/instances', body, headers);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(repeat.json()).toEqual(first.json());
    const variables = await call(t.app, 'GET', `/instances/${first.json().id}/variables`);
    expect(variables.json()).toEqual({ ssn: { value: 'SSN-987', type: 'String' } });
  });
});

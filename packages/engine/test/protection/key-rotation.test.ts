// A new first key: values written under the old one stay readable and correlatable while both are
// configured, are encrypted again under the new one in batches, and are read with the new key alone
// afterwards. A value under a key no longer configured is an error naming the key, and the engine goes on.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine, type EngineOptions, type EncryptionKey } from '../../src/index.js';
import { KeyRotation } from '../../src/protection/key-rotation.js';
import { createVariableProtection } from '../../src/protection/variable-protection.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../../src/testing/index.js';
import { camunda, flow, waitFor } from '../support/job-engines.js';
import { storedText, withDatabase, type RunSql } from '../support/stored-text.js';

// ids with `_`, which LIKE would take for a wildcard
const key = (id: string): EncryptionKey => ({ id, key: randomBytes(32).toString('base64') });
const OLD = key('old_a');
const NEW = key('new_b');
const NEWER = key('newer_c');

/** start → receive `release` → user task: instances that wait twice */
const waiting = camunda('vault_wait', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'wait')}
    <bpmn:receiveTask id="wait" messageRef="release" />${flow('f2', 'wait', 'task')}
    <bpmn:userTask id="task" />`, `
  <bpmn:message id="release" name="release" />`);

const SEALED_COLUMNS = [['process_variables', 'value_text'], ['audit_log', 'org_value'], ['audit_log', 'new_value'], ['idempotency_keys', 'response']];

/** how many encrypted values each key id has, over every column that holds them */
async function valuesByKey(run: RunSql): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [table, column] of SEALED_COLUMNS) {
    const rows = await run<{ key_id: string; n: number }>(
      `select split_part(${column}, ':', 3) as key_id, count(*)::int as n from ${table} where ${column} like 'enc:v1:%' group by 1`);
    for (const { key_id, n } of rows) counts[key_id] = (counts[key_id] ?? 0) + n;
  }
  return counts;
}

describe.each(testBackends())('key rotation on %s', (backend) => {
  let database: TestDatabase;
  const ids: string[] = [];
  const opened: Engine[] = [];
  const engineWith = async (keys: EncryptionKey[], rotation?: { batchSize: number }, protectedVariables = ['ssn']): Promise<Engine> => {
    const variableProtection: EngineOptions['variableProtection'] = keys.length ? { keys, protectedVariables, rotation } : undefined;
    const engine = await createEngine({ ...database.options, variableProtection });
    opened.push(engine);
    return engine;
  };
  const closeAll = async () => {
    await Promise.all(opened.splice(0).map((engine) => engine.close()));
  };
  const raw = <T>(work: (run: RunSql) => Promise<T>) => withDatabase(database.options, work);

  beforeAll(async () => {
    database = await createTestDatabase(backend, 'key-rotation');
  });
  afterAll(async () => {
    await closeAll();
    await database.drop();
  });

  it('writes under the first key', async () => {
    const engine = await engineWith([OLD]);
    await engine.deploy({ bpmn_xml: waiting });
    for (const ssn of ['SSN-1', 'SSN-2']) ids.push((await engine.startInstance({ process_definition_key: 'vault_wait', variables: { ssn: { value: ssn } } })).id);
    await engine.updateVariables(ids[0]!, [{ variable_name: 'ssn', value: 'SSN-1b' }]);
    await engine.rememberIdempotent('rotated', { request_hash: 'h', status_code: 200, response: '{"ssn":"SSN-2"}' });
    await closeAll();
    // two variables, the update's old and new value, the kept answer
    expect(await raw(valuesByKey)).toEqual({ old_a: 5 });
  });

  it('reads and correlates values under the old key while the new one encrypts', async () => {
    const engine = await engineWith([NEW, OLD]);
    expect((await engine.getVariables(ids[0]!)).ssn?.value).toBe('SSN-1b');
    expect((await engine.getInstance(ids[0]!)).audit_trail.find((e) => e.operation === 'SetVariable'))
      .toMatchObject({ org_value: '"SSN-1"', new_value: '"SSN-1b"' });
    expect(await engine.recallIdempotent('rotated')).toMatchObject({ response: '{"ssn":"SSN-2"}' });
    const [delivered] = await engine.correlateMessage({ message_name: 'release', correlation_keys: { ssn: 'SSN-1b' } });
    expect(delivered?.process_instance_id).toBe(ids[0]);
    await closeAll();
    expect(await raw(valuesByKey)).toEqual({ old_a: 5 });
  });

  it('encrypts every value again under the new first key, in batches', async () => {
    const engine = await engineWith([NEW, OLD], { batchSize: 2 });
    expect(await engine.rotateEncryptionKeys()).toBe(5);
    expect(await engine.rotateEncryptionKeys()).toBe(0);
    await closeAll();
    expect(await raw(valuesByKey)).toEqual({ new_b: 5 });
    expect(await raw((run) => storedText(run))).not.toContain(`enc:v1:${OLD.id}:`);
  });

  it('reads and correlates with the new key alone', async () => {
    const engine = await engineWith([NEW]);
    expect((await engine.getVariables(ids[1]!)).ssn?.value).toBe('SSN-2');
    const [delivered] = await engine.correlateMessage({ message_name: 'release', correlation_keys: { ssn: 'SSN-2' } });
    expect(delivered?.process_instance_id).toBe(ids[1]);
    await closeAll();
  });

  it('names the key a value needs when it is not configured, and goes on', async () => {
    for (const keys of [[OLD], []]) {
      const engine = await engineWith(keys);
      await expect(engine.getVariables(ids[1]!)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining(`'${NEW.id}'`) });
      expect((await engine.listDefinitions({ key: 'vault_wait' })).total).toBe(1);
      expect((await engine.health()).database).toBe('healthy');
      await closeAll();
    }
  });

  it('encrypts again in the background, every interval', async () => {
    await withDatabase(database.options, async (run, db) => {
      const errors: unknown[] = [];
      const protection = createVariableProtection({ keys: [NEWER, NEW], protectedVariables: ['ssn'] })!;
      const rotation = new KeyRotation(db, protection, { intervalMs: 20, batchSize: 100, logError: (e) => errors.push(e) });
      rotation.start();
      try {
        await waitFor(async () => (await valuesByKey(run)).newer_c === 5, 10_000, 'every value under the newer key');
      } finally {
        await rotation.close();
      }
      expect(await valuesByKey(run)).toEqual({ newer_c: 5 });
      expect(errors).toEqual([]);
    });
  });

  it('encrypts the values a variable held before its name was protected, correlating by them meanwhile', async () => {
    const before = await engineWith([]);
    const start = () => before.startInstance({ process_definition_key: 'vault_wait', variables: { amount: { value: 5 } } });
    const [first, second] = [await start(), await start()];
    const started = await before.startInstance({ process_definition_key: 'vault_wait', variables: { pan: { value: 'PAN-EVENT-1' } } });
    await before.updateVariables(first.id, [{ variable_name: 'pin', value: 'PIN-CLEAR-1' }]);
    await before.updateVariables(first.id, [{ variable_name: 'pin', value: 'PIN-CLEAR-2' }]);
    await before.updateVariables(second.id, [{ variable_name: 'pin', value: 'PIN-CLEAR-3' }]);
    await closeAll();
    const engine = await engineWith([NEWER, NEW], undefined, ['ssn', 'p*n']);
    const correlated = async (pin: string) => (await engine.correlateMessage({ message_name: 'release', correlation_keys: { pin } }))[0]?.process_instance_id;
    expect(await correlated('PIN-CLEAR-3')).toBe(second.id);
    // an event stored before its variable's name was protected is published masked
    const { data: events } = await engine.listEvents({ process_instance_id: started.id, types: ['process_manager.instance.started'] });
    expect(events.map((event) => event.variables)).toEqual([{ pan: '***' }]);
    // each variable, and the old and new values of each update (the first update of each had no old value)
    expect(await engine.rotateEncryptionKeys()).toBe(7);
    expect((await engine.getVariables(first.id)).pin?.value).toBe('PIN-CLEAR-2');
    expect(await correlated('PIN-CLEAR-2')).toBe(first.id);
    await closeAll();
    const stored = await raw((run) => storedText(run));
    for (const value of ['PIN-CLEAR-1', 'PIN-CLEAR-2', 'PIN-CLEAR-3']) expect(stored).not.toContain(value);
    expect(stored).toContain('"amount"');
  });
});

// An Idempotency-Key taken in the transaction of its command: of the same-key commands sent at once to two
// engines on one database, one commits and the others change nothing; a command that fails leaves the key
// free; on one engine, a key taken is refused too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_PENDING, createEngine, isIdempotencyKeyTaken, type Engine, type IdempotencyClaim } from '../../src/index.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../../src/testing/index.js';
import { waitingAtUserTask } from '../support/models.js';

const claim = (key: string, request_hash = 'h'): IdempotencyClaim => ({ key, request_hash, taken: false });

describe.each(testBackends())('Idempotency-Key claims on %s', (backend) => {
  let database: TestDatabase;
  let engines: Engine[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(backend, 'idempotency-claim');
    // PGlite is one process's store: there both sides are the one engine
    engines = backend === 'postgres'
      ? await Promise.all([createEngine(database.options), createEngine(database.options)])
      : [await createEngine(database.options)];
    await engines[0]!.deploy({ bpmn_xml: waitingAtUserTask('claimed') });
  });
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.close()));
    await database.drop();
  });

  const engineAt = (i: number) => engines[i % engines.length]!;
  const instancesOf = async (businessKey: string) =>
    (await engines[0]!.listInstances({ process_definition_key: 'claimed', business_key: businessKey })).total;

  it('runs one of many same-key starts sent at once, and refuses the others having changed nothing', async () => {
    const claims = Array.from({ length: 24 }, () => claim('start-race'));
    const outcomes = await Promise.allSettled(claims.map((c, i) =>
      engineAt(i).idempotent(c).startInstance({ process_definition_key: 'claimed', business_key: 'race' })));

    const started = outcomes.filter((o) => o.status === 'fulfilled');
    expect(started).toHaveLength(1);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refused.every((o) => isIdempotencyKeyTaken(o.reason))).toBe(true);
    expect(claims.filter((c) => c.taken)).toHaveLength(1);
    expect(await instancesOf('race')).toBe(1);
    // taken with the command, its answer not yet kept
    expect(await engines[0]!.recallIdempotent('start-race')).toMatchObject({ request_hash: 'h', status_code: ANSWER_PENDING, response: '' });
  });

  it('keeps the answer on the row its command took, and never over another request\'s', async () => {
    const first = claim('start-kept', 'first');
    await engines[0]!.idempotent(first).startInstance({ process_definition_key: 'claimed', business_key: 'kept' });
    await engineAt(1).rememberIdempotent('start-kept', { request_hash: 'other', status_code: 201, response: '{"other":1}' });
    expect(await engines[0]!.recallIdempotent('start-kept')).toMatchObject({ status_code: ANSWER_PENDING, response: '' });
    await engineAt(1).rememberIdempotent('start-kept', { request_hash: 'first', status_code: 201, response: '{"id":"x"}' });
    expect(await engines[0]!.recallIdempotent('start-kept')).toMatchObject({ request_hash: 'first', status_code: 201, response: '{"id":"x"}' });
    // a kept answer is never replaced
    await engineAt(1).rememberIdempotent('start-kept', { request_hash: 'first', status_code: 200, response: '{}' });
    expect(await engines[0]!.recallIdempotent('start-kept')).toMatchObject({ status_code: 201, response: '{"id":"x"}' });
  });

  it('leaves the key free when its command fails, and takes it only once per claim', async () => {
    const failing = claim('start-missing');
    await expect(engines[0]!.idempotent(failing).startInstance({ process_definition_key: 'no_such_process' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(failing.taken).toBe(false);
    expect(await engines[0]!.recallIdempotent('start-missing')).toBeUndefined();

    // the same claim, now for a command that succeeds: then its later commands take nothing more
    const engine = engines[0]!.idempotent(failing);
    const instance = await engine.startInstance({ process_definition_key: 'claimed', business_key: 'twice' });
    expect(failing.taken).toBe(true);
    const [task] = (await engine.listTasks({ process_instance_id: instance.id })).data;
    await engine.completeTask(task!.id);
    expect((await engines[0]!.getInstance(instance.id)).status).toBe('completed');

    await expect(engineAt(1).idempotent(claim('start-missing')).startInstance({ process_definition_key: 'claimed', business_key: 'twice' }))
      .rejects.toSatisfy(isIdempotencyKeyTaken);
    expect(await instancesOf('twice')).toBe(1);
  });
});

// The Idempotency-Key race across processes: two server processes on one PostgreSQL receive the same key at
// the same moment, many times over. The command runs once, and every answer is the first one.
import { createTestDatabase, dropQueueKeys, freePort, testBackends, type TestDatabase } from '@dadms/process-engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userTaskModel } from '../models.js';
import { ServerProcess, SHARED_REDIS_URL, uniqueQueuePrefix } from './harness.js';

const ROUNDS = 10;
/** requests per key, half to each process */
const SENT_AT_ONCE = 24;

interface Answer {
  status: number;
  body: string;
  replayed: boolean;
}

describe.runIf(testBackends().includes('postgres'))('one Idempotency-Key sent at once to two server processes', () => {
  const prefix = uniqueQueuePrefix('idempotency-race');
  let db: TestDatabase;
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('postgres', 'server/faults/idempotency-race');
    const env = { DATABASE_URL: db.options.databaseUrl!, REDIS_URL: SHARED_REDIS_URL, JOB_QUEUE_PREFIX: prefix };
    servers = await Promise.all([0, 1].map(async () => new ServerProcess(await freePort(), env)));
    await Promise.all(servers.map((s) => s.start()));
    await servers[0]!.expect(201, 'POST', '/definitions', { bpmn_xml: userTaskModel('raced') });
  }, 180_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill()));
    await db?.drop();
    await dropQueueKeys(SHARED_REDIS_URL, prefix);
  });

  /** the same request with the same key, SENT_AT_ONCE times at once, alternately to each process */
  const race = (path: string, body: unknown, key: string): Promise<Answer[]> => Promise.all(
    Array.from({ length: SENT_AT_ONCE }, async (_, i) => {
      const res = await fetch(`${servers[i % 2]!.url}/api/processes${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.text(), replayed: res.headers.get('idempotent-replayed') === 'true' };
    }),
  );

  /** one answer ran the command; every other is its replay, word for word */
  const expectOneRunAndReplays = (answers: Answer[], status: number) => {
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => status));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
  };

  it(`starts one instance per key and answers every request alike, ${ROUNDS} keys of ${SENT_AT_ONCE} requests`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const businessKey = `race-${round}`;
      const started = await race('/instances', { process_definition_key: 'raced', business_key: businessKey }, `start-${businessKey}`);
      expectOneRunAndReplays(started, 201);
      const instances = await servers[1]!.expect(200, 'GET', `/instances?process_definition_key=raced&business_key=${businessKey}`);
      expect(instances.total).toBe(1);

      // completing a task twice would be a 404: each repeat is answered with the first 200 instead
      const instanceId = JSON.parse(started[0]!.body).id as string;
      const [task] = (await servers[0]!.expect(200, 'GET', `/tasks?process_instance_id=${instanceId}`)).data;
      const completed = await race(`/tasks/${task.id}/complete`, { variables: { round: { value: round } } }, `complete-${businessKey}`);
      expectOneRunAndReplays(completed, 200);
      expect((await servers[1]!.expect(200, 'GET', `/instances/${instanceId}`)).status).toBe('completed');
    }
    expect((await servers[0]!.expect(200, 'GET', '/instances?process_definition_key=raced&limit=1')).total).toBe(ROUNDS);
    for (const s of servers) expect(s.errors()).toEqual([]);
  }, 240_000);
});

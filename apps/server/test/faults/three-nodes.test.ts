// Three server processes on one PostgreSQL and Redis, one of them SIGKILLed every 10 s for a minute and
// started again, while clients keep sending commands round-robin over the three: start an instance,
// complete its task, correlate its message. A command that fails to get an answer (its server died under it,
// or is starting) is sent again to the next server with the same Idempotency-Key. Every command answered
// 2xx took effect exactly once, a command whose answer was lost with its server took effect once too (and
// is answered so), and every instance finishes, its asynchronous step run by whichever server took it.
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase, dropQueueKeys, freePort, testBackends, type TestDatabase } from '@dadms/process-engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bpmn, businessKey, readInstances, ServerProcess, SHARED_REDIS_URL, uniqueQueuePrefix, waitUntil } from './harness.js';

const NODES = 3;
const KILLS = 6;
const KILL_EVERY_MS = 10_000;
const CLIENTS = 6;
/** a command no server answers after this many tries fails the test */
const MAX_TRIES = 200;
const PROCESS_ID = 'three_nodes';
const PATH = ['start', 'review', 'approved', 'tally', 'end'];

/** start → user task → message catch (by business key) → script task, asynchronous before (a job) → end */
const model = bpmn(PROCESS_ID, `
  <bpmn:message id="approved_message" name="approved" />
  <bpmn:process id="${PROCESS_ID}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="approved" />
    <bpmn:intermediateCatchEvent id="approved">
      <bpmn:messageEventDefinition messageRef="approved_message" />
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="approved" targetRef="tally" />
    <bpmn:scriptTask id="tally" scriptFormat="feel" camunda:asyncBefore="true" camunda:resultVariable="total">
      <bpmn:script>n + approval</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="f4" sourceRef="tally" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`);

type Outcome = 'acknowledged' | 'replayed' | 'lost';

interface Tally {
  /** per command kind, how each was finally answered */
  outcomes: Record<string, Record<Outcome, number>>;
  /** sends that got no answer from a server (connection refused or reset, 503 while starting, timeout) */
  unanswered: number;
}

describe.runIf(testBackends().includes('postgres'))(`${NODES} server processes, one SIGKILLed every 10 s`, () => {
  const prefix = uniqueQueuePrefix('three-nodes');
  let db: TestDatabase;
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('postgres', 'server/faults/three-nodes');
    const env = {
      DATABASE_URL: db.options.databaseUrl!, REDIS_URL: SHARED_REDIS_URL, JOB_QUEUE_PREFIX: prefix,
      JOB_SWEEP_INTERVAL_MS: '500', JOB_RETRY_BACKOFF_MS: '500',
    };
    servers = await Promise.all(Array.from({ length: NODES }, async () => new ServerProcess(await freePort(), env)));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill()));
    await db?.drop();
    await dropQueueKeys(SHARED_REDIS_URL, prefix);
  });

  let turn = 0;
  const tally: Tally = { outcomes: {}, unanswered: 0 };

  /** a command sent round-robin until a server answers it: 2xx, or the 409 of an answer lost with its server */
  async function command(kind: string, path: string, body: unknown, key: string): Promise<{ outcome: Outcome; body: any }> {
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      const server = servers[turn++ % NODES]!;
      let status: number;
      let text: string;
      let replayed: boolean;
      try {
        const res = await fetch(`${server.url}/api/processes${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        [status, text, replayed] = [res.status, await res.text(), res.headers.get('idempotent-replayed') === 'true'];
      } catch {
        tally.unanswered++;
        await sleep(50);
        continue;
      }
      if (status === 503) {
        tally.unanswered++;
        await sleep(50);
        continue;
      }
      const answer = text === '' ? undefined : JSON.parse(text);
      const outcome: Outcome | undefined = status >= 200 && status < 300 ? (replayed ? 'replayed' : 'acknowledged')
        : status === 409 && answer?.error?.details?.answer === 'lost' ? 'lost' : undefined;
      if (!outcome) throw new Error(`${kind} ${key} on ${server.url}: ${status} ${text}`);
      const counts = (tally.outcomes[kind] ??= { acknowledged: 0, replayed: 0, lost: 0 });
      counts[outcome]++;
      return { outcome, body: answer };
    }
    throw new Error(`${kind} ${key}: no server answered in ${MAX_TRIES} tries`);
  }

  /** a read sent round-robin until a server answers it 200 and `found` accepts the answer */
  async function read<T>(path: string, found: (body: any) => T | undefined): Promise<T> {
    for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
      const server = servers[turn++ % NODES]!;
      try {
        const res = await fetch(`${server.url}/api/processes${path}`, { signal: AbortSignal.timeout(30_000) });
        if (res.status === 200) {
          const value = found(await res.json());
          if (value !== undefined) return value;
        }
      } catch {
        // its server died or is starting: the next one is asked
      }
      await sleep(50);
    }
    throw new Error(`GET ${path}: no server answered as expected in ${MAX_TRIES} tries`);
  }

  /** one instance through its three commands */
  async function drive(i: number): Promise<void> {
    const key = businessKey('node', i);
    const started = await command('start', '/instances', {
      process_definition_key: PROCESS_ID, business_key: key, variables: { n: { value: i } },
    }, `start-${key}`);
    // a start whose answer was lost has no id to give: its business key finds it
    const instanceId = started.outcome === 'lost'
      ? await read(`/instances?process_definition_key=${PROCESS_ID}&business_key=${key}`, (page) => page.data[0]?.id as string | undefined)
      : started.body.id as string;
    const taskId = await read(`/tasks?process_instance_id=${instanceId}`, (page) => page.data[0]?.id as string | undefined);
    await command('complete', `/tasks/${taskId}/complete`, { variables: { reviewed: { value: true } } }, `complete-${key}`);
    await command('correlate', '/messages', { message_name: 'approved', business_key: key, variables: { approval: { value: 1_000 * i } } }, `message-${key}`);
  }

  it(`every acknowledged command took effect once, and every instance finishes, through ${KILLS} kills`, async () => {
    await servers[0]!.start();
    await Promise.all(servers.slice(1).map((s) => s.start()));
    await servers[0]!.expect(201, 'POST', '/definitions', { bpmn_xml: model });

    let stopping = false;
    let next = 0;
    const driven: number[] = [];
    const clients = Array.from({ length: CLIENTS }, async () => {
      while (!stopping) {
        const i = next++;
        await drive(i);
        driven.push(i);
      }
    });

    const t0 = Date.now();
    const restarts: Promise<void>[] = [];
    const killed: { node: number; at: number; drivenBefore: number }[] = [];
    for (let k = 0; k < KILLS; k++) {
      await sleep(t0 + (k + 1) * KILL_EVERY_MS - Date.now());
      const node = k % NODES;
      await servers[node]!.kill();
      killed.push({ node, at: Date.now() - t0, drivenBefore: driven.length });
      restarts.push(servers[node]!.start());
    }
    stopping = true;
    await Promise.all([...clients, ...restarts]);
    const drivenMs = Date.now() - t0;

    const count = next;
    expect(driven.length).toBe(count);
    expect(killed.every((kill, k) => k === 0 || kill.drivenBefore > killed[k - 1]!.drivenBefore)).toBe(true);

    // exactly one instance per business key: no start ran twice, and none that was answered is missing
    const listed: { id: string; business_key: string }[] = [];
    for (let total = Infinity; listed.length < total;) {
      const page = await read(`/instances?process_definition_key=${PROCESS_ID}&sort=business_key&limit=1000&offset=${listed.length}`, (p) => p);
      total = page.total;
      listed.push(...page.data);
    }
    expect(listed.map((instance) => instance.business_key)).toEqual(Array.from({ length: count }, (_, i) => businessKey('node', i)));

    // every instance finishes, its asynchronous step taken by whichever server was alive
    const server = servers[0]!;
    await waitUntil('every instance to complete', async () =>
      (await server.expect(200, 'GET', `/instances?process_definition_key=${PROCESS_ID}&status=completed&limit=1`)).total === count, 120_000);
    const instances = await readInstances(server, listed.map((instance) => instance.id));
    // each element once: the task completed once, the message delivered once, the script run once
    const wrong = instances.filter((instance) => JSON.stringify(instance.path) !== JSON.stringify(PATH) || instance.incidents.length > 0);
    expect(wrong.slice(0, 5)).toEqual([]);
    for (const instance of instances) {
      const i = Number(instance.business_key.split('-')[1]);
      expect(instance.variables, instance.business_key).toMatchObject({
        n: { value: i }, reviewed: { value: true }, approval: { value: 1_000 * i }, total: { value: 1_001 * i },
      });
    }
    expect((await server.expect(200, 'GET', '/jobs?limit=1')).total).toBe(0);
    // the kills hit commands in flight: some were sent again
    expect(tally.unanswered).toBeGreaterThan(0);
    for (const s of servers) expect(s.errors().map((line) => line.msg)).toEqual([]);

    console.log(
      `[faults] ${NODES} nodes, ${KILLS} SIGKILLs over ${(drivenMs / 1000).toFixed(0)} s (at ${killed.map((k) => `${(k.at / 1000).toFixed(1)} s`).join(', ')}): `
        + `${count} instances; answers per command: ${JSON.stringify(tally.outcomes)}; sends without an answer: ${tally.unanswered}`,
    );
  }, 420_000);
});

// CLUSTER_WORKERS: the server as several processes on one port. On PostgreSQL and Redis, both workers answer
// on the port; a worker killed with SIGKILL is replaced while the other keeps answering; SIGTERM to the
// primary closes every worker gracefully. With the embedded store, more than one worker is refused.
import { createTestDatabase, dropQueueKeys, freePort, testBackends, type TestDatabase } from '@dadms/process-engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configProblems } from '../support.js';
import { ServerProcess, SHARED_REDIS_URL, uniqueQueuePrefix, waitUntil } from './harness.js';
import { healthOnNewConnection, workersAnswering } from './workers.js';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('CLUSTER_WORKERS configuration', () => {
  it('refuses more than one worker on the embedded store, naming why', () => {
    expect(configProblems({ CLUSTER_WORKERS: '2' })).toEqual([
      'CLUSTER_WORKERS=2 needs DATABASE_URL: the embedded store (PGlite) is opened by one process only, so several server processes cannot share it',
    ]);
    expect(configProblems({ CLUSTER_WORKERS: '0' })).toEqual(["CLUSTER_WORKERS must be an integer from 1 to 64, got '0'"]);
    expect(configProblems({ CLUSTER_WORKERS: '1' })).toEqual([]);
    expect(configProblems({ CLUSTER_WORKERS: '3', DATABASE_URL: 'postgres://127.0.0.1/x' })).toEqual([]);
  });
});

describe.runIf(testBackends().includes('postgres'))('CLUSTER_WORKERS=2 on PostgreSQL and Redis', () => {
  const prefix = uniqueQueuePrefix('cluster');
  let db: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await createTestDatabase('postgres', 'server/faults/cluster');
    server = new ServerProcess(await freePort(), {
      CLUSTER_WORKERS: '2', DATABASE_URL: db.options.databaseUrl!, REDIS_URL: SHARED_REDIS_URL, JOB_QUEUE_PREFIX: prefix, LOG_LEVEL: 'info',
    });
  });
  afterAll(async () => {
    await server?.kill();
    await db?.drop();
    await dropQueueKeys(SHARED_REDIS_URL, prefix);
  });

  it('answers from both workers, replaces a killed one while the other answers, and closes them all on SIGTERM', async () => {
    await server.start();
    const first = await workersAnswering(server.url, 2);
    const primary = server.pid!;
    expect([...first.keys()]).not.toContain(primary);
    expect([...first.values()].every((worker) => typeof worker === 'number')).toBe(true);

    // both are full nodes: a command through either is seen through the other
    await server.expect(201, 'POST', '/definitions', {
      bpmn_xml: '<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">'
        + '<bpmn:process id="clustered" isExecutable="true"><bpmn:startEvent id="s" /></bpmn:process></bpmn:definitions>',
    });

    const [killed, survivor] = [...first.keys()] as [number, number];
    process.kill(killed, 'SIGKILL');
    await waitUntil('the killed worker to be gone', async () => !isAlive(killed), 10_000, 10);
    // until its replacement is up, every connection is the survivor's
    const meanwhile = await Promise.all(Array.from({ length: 20 }, () => healthOnNewConnection(server.url)));
    expect(meanwhile.map((a) => a.status)).toEqual(meanwhile.map(() => 200));
    expect(new Set(meanwhile.map((a) => a.pid)).has(killed)).toBe(false);

    const after = await workersAnswering(server.url, 2);
    expect(after.has(survivor)).toBe(true);
    const replacement = [...after.keys()].find((pid) => pid !== survivor)!;
    expect([killed, primary]).not.toContain(replacement);
    expect(after.get(replacement)).not.toBe(first.get(killed));
    expect(server.logs.some((line) => line.msg === 'worker died; starting another' && line.pid === killed)).toBe(true);

    // SIGTERM to the primary alone: it closes both workers gracefully, then exits 0
    expect(await server.terminate()).toBe(0);
    expect([survivor, replacement].filter(isAlive)).toEqual([]);
    expect(server.logs.filter((line) => line.msg === 'closing')).toHaveLength(2);
    // the only error logged is the death of the killed worker
    expect(server.errors().map((line) => line.msg)).toEqual(['worker died; starting another']);
  }, 240_000);
});

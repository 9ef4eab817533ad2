// Every real-world BPMN file of the corpus, uploaded as the bytes a client sends: each deploys (201)
// or is refused with 422 and named problems, never a 500, never a hang.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support.js';

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '../../../bpmn-fixtures/corpus');
const files = (readdirSync(CORPUS, { recursive: true }) as string[]).filter((f) => f.endsWith('.bpmn')).sort();

describe.each(testBackends())('the BPMN corpus deployed over HTTP on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'corpus');
  });
  afterAll(() => t?.close());

  it('holds the files it is meant to test', () => {
    expect(files.length).toBeGreaterThanOrEqual(50);
  });

  it.each(files)('%s deploys or is refused with 422', async (file) => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/processes/definitions',
      headers: { 'content-type': 'application/xml' }, payload: readFileSync(join(CORPUS, file)),
    });
    expect([200, 201, 422], res.body).toContain(res.statusCode);
    const body = res.json();
    if (res.statusCode === 422) {
      expect(body.error.code).toBe('INVALID_BPMN');
      expect(body.error.details.problems.length).toBeGreaterThan(0);
      for (const problem of body.error.details.problems) expect(problem.message).toEqual(expect.any(String));
    } else {
      expect(body.definitions.length).toBeGreaterThan(0);
    }
  });
});

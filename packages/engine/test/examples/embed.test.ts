// The README's embedding example must keep working: run it on every test backend.
import { describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends } from '@dadms/process-engine/testing';
import { runExample } from '../../examples/embed.js';

describe.each(testBackends())('embedding example on %s', (backend) => {
  it('deploys, starts, completes the user task and finishes the instance', async () => {
    const db = await createTestDatabase(backend, 'examples/embed');
    try {
      const result = await runExample(db.options);
      expect(result.startedStatus).toBe('active');
      expect(result.taskName).toBe('Approve expense');
      expect(result.finishedStatus).toBe('completed');
      expect(result.variables.amount?.value).toBe(120.5);
      expect(result.variables.approved?.value).toBe(true);
    } finally {
      await db.drop();
    }
  });
});

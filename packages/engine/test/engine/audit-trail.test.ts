// The audit trail lists operations in the order they happened, also those one command wrote at once.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { waitingAtUserTask } from '../support/models.js';


describe.each(testBackends())('the audit trail on %s', (backend) => {
  const engine = engineUnderTest(backend, 'audit-trail', [waitingAtUserTask('audited')]);

  it('keeps the order of the entries one command writes', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'audited', started_by: 'alice' });
    const names = ['zeta', 'alpha', 'mid', 'beta', 'omega'];
    await engine().updateVariables(instance.id, names.map((name, i) => ({ variable_name: name, value: i })), { user_id: 'bob' });
    const { data: [task] } = await engine().listTasks({ process_instance_id: instance.id });
    await engine().claimTask(task!.id, 'carol');
    const trail = (await engine().getInstance(instance.id)).audit_trail;
    expect(trail.map((e) => [e.operation, e.property ?? null, e.user_id ?? null])).toEqual([
      ['Start', null, 'alice'],
      ...names.map((name) => ['SetVariable', name, 'bob']),
      ['Claim', 'assignee', 'carol'],
    ]);
  });
});

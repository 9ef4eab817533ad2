// A command on a task, an external task or an incident locks the instance the item belongs to, found in the
// same round trip as the lock: an item that does not exist, or that the caller may not see, is not found
// under its own name, and one that has ended is a conflict.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { waitingAtUserTask } from '../support/models.js';

describe.each(testBackends())('commands on owned items on %s', (backend) => {
  const engine = engineUnderTest(backend, 'commands/owned-items', [waitingAtUserTask('owned')]);

  it('answers NOT_FOUND naming the task, external task or incident that does not exist', async () => {
    const unknown = randomUUID();
    await expect(engine().completeTask(unknown)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(`Task '${unknown}'`) });
    await expect(engine().claimTask(unknown, 'alice')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('Task') });
    await expect(engine().completeExternalTask(unknown, { worker_id: 'w' }))
      .rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(`External task '${unknown}'`) });
    await expect(engine().resolveIncident(unknown, { resolution_type: 'manual' }))
      .rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(`Incident '${unknown}'`) });
  });

  it('completes the task of the instance it names, and refuses it once completed', async () => {
    const [first, second] = [await engine().startInstance({ process_definition_key: 'owned' }), await engine().startInstance({ process_definition_key: 'owned' })];
    const taskOf = async (id: string) => (await engine().listTasks({ process_instance_id: id })).data[0]!.id;
    const task = await taskOf(second.id);
    await engine().completeTask(task);
    expect((await engine().getInstance(second.id)).status).toBe('completed');
    expect((await engine().getInstance(first.id)).status).toBe('active');
    await expect(engine().completeTask(task)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('is completed') });
  });

  it("hides a task of another tenant's instance as not found", async () => {
    await engine().deploy({ bpmn_xml: waitingAtUserTask('owned_by_acme'), tenant_id: 'acme' });
    const started = await engine().startInstance({ process_definition_key: 'owned_by_acme', tenant_id: 'acme' });
    const task = (await engine().listTasks({ process_instance_id: started.id })).data[0]!.id;
    const globex = engine().as({ user_id: 'ops', groups: [], roles: ['operator'], tenant_ids: ['globex'] });
    await expect(globex.completeTask(task)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(`Task '${task}'`) });
    expect((await engine().getInstance(started.id)).status).toBe('active');
  });
});

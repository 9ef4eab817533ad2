// Every process of the corpus (bpmn-fixtures/corpus) that deploys also runs: it is started with a few
// variables, its user tasks are completed, its service tasks for workers worked and its jobs run, until it ends
// or waits for what nobody here sends (a message, a signal). Whatever a model meets on the way is the engine's
// own answer: an instance that goes on or ends, an incident, or an error with its code; never anything else.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { VariablesInput } from '../../src/api/types.js';
import { isEngineError } from '../../src/errors.js';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';

const corpus = new URL('../../../../bpmn-fixtures/corpus/', import.meta.url);
const files = readdirSync(corpus, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.bpmn')).sort();

/** what the corpus's Camunda examples read in their conditions and forms */
const VARIABLES: VariablesInput = {
  approved: { value: true }, amount: { value: 100 }, creditor: { value: 'ACME' }, approver: { value: 'demo' },
  invoiceCategory: { value: 'Misc' }, clarified: { value: 'yes' }, shouldPerformAnotherRetry: { value: false },
};
const WORKER = 'corpus';

describe.each(testBackends())('the corpus run on %s', (backend) => {
  const engine = engineUnderTest(backend, 'model/corpus-runs');
  const completed: string[] = [];

  /** the call's answer, or undefined where the engine refused it with an error of its own */
  const answer = async <T>(call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (error) {
      if (!isEngineError(error)) throw error;
      return undefined;
    }
  };

  /** one round of the work waiting in the instance; false when there was none */
  const workOn = async (instanceId: string): Promise<boolean> => {
    const e = engine();
    const tasks = (await e.listTasks({ process_instance_id: instanceId, limit: 100 })).data;
    for (const task of tasks) await answer(() => e.completeTask(task.id, { variables: VARIABLES }));
    const external = (await e.listExternalTasks({ process_instance_id: instanceId })).data;
    for (const topic_name of new Set(external.map((task) => task.topic_name))) {
      const locked = await e.fetchAndLock({ worker_id: WORKER, max_tasks: 10, topics: [{ topic_name, lock_duration: 60_000, process_instance_id: instanceId }] });
      for (const task of locked) await answer(() => e.completeExternalTask(task.id, { worker_id: WORKER, variables: VARIABLES }));
    }
    const jobs = (await e.listJobs({ process_instance_id: instanceId })).data.filter((job) => job.retries > 0);
    for (const job of jobs) await answer(() => e.executeJob(job.id));
    return tasks.length + external.length + jobs.length > 0;
  };

  it.each(files)('%s runs as far as it goes', async (file) => {
    const deployed = await answer(() => engine().deploy({ bpmn_xml: readFileSync(new URL(file, corpus), 'utf8'), name: file }));
    for (const definition of deployed?.definitions ?? []) {
      const instance = await answer(() => engine().startInstance({ process_definition_id: definition.id, variables: VARIABLES }));
      if (!instance) continue;
      for (let round = 0; round < 10 && await workOn(instance.id); round++);
      const { status } = await engine().getInstance(instance.id);
      expect(['active', 'completed', 'terminated']).toContain(status);
      if (status === 'completed') completed.push(`${file} ${definition.key}`);
    }
  });

  it('ran most of the processes that deploy to their end', () => {
    expect(completed.length).toBeGreaterThanOrEqual(10);
  });
});

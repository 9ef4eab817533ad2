// Conformance fixtures of every kind of step, run through the REST API with authentication on: each step
// is sent with the token of a caller holding the role the table gives it (http-engine.ts), and every
// expectation of the fixture must hold as it does through the engine API.
import type { Engine } from '@dadms/process-engine';
import { testBackends } from '@dadms/process-engine/testing';
import { describe, it } from 'vitest';
import { deployFixture } from '../../../../packages/engine/test/conformance/define-conformance.js';
import { loadFixture } from '../../../../packages/engine/test/conformance/fixture.js';
import { FIXTURE_CLOCK } from '../../../../packages/engine/test/conformance/snapshot.js';
import { runStep, type RunState } from '../../../../packages/engine/test/conformance/steps.js';
import { startTestApp } from '../support.js';
import { httpEngine } from './http-engine.js';
import { SECRET_ENV } from './tokens.js';

const REPRESENTATIVE = [
  'tasks/user-task-claim',
  'tasks/user-task-camunda7',
  'tasks/external-service-camunda7',
  'gateways/exclusive-first-match',
  'messages/catch-correlation-keys',
  'events/signal-events',
  'events/timer-intermediate-catch',
  'errors/incident-skip',
  'loops/multi-instance-parallel-user-task',
];

describe.each(testBackends())('fixtures through HTTP with tokens on %s', (backend) => {
  it.each(REPRESENTATIVE)('%s', async (name) => {
    const fixture = loadFixture(name);
    const t = await startTestApp(backend, `fixture-over-http/${name}`, { jobs: { run: false }, now: () => new Date(FIXTURE_CLOCK) }, SECRET_ENV);
    try {
      // the steps call only the methods httpEngine gives
      const engine = (await httpEngine(t.app)) as unknown as Engine;
      const state: RunState = { defaultProcess: await deployFixture(engine, fixture), directory: fixture.directory, instances: new Map() };
      for (const [i, step] of fixture.steps.entries()) {
        try {
          await runStep(engine, state, step);
        } catch (e) {
          if (e instanceof Error) e.message = `step ${i + 1} ${JSON.stringify(step)}\n${e.message}`;
          throw e;
        }
      }
    } finally {
      await t.close();
    }
  });
});

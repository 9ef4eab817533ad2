// Runs every executable fixture of bpmn-fixtures/ on every test backend with one engine throughout, and
// on one backend a second time with a fresh engine over the same database before every step. Every run
// must match the fixture, and the two runs each other: nothing about an instance may live only in an
// engine's memory. On that backend each fixture also runs through the engine acting for a caller (an
// admin, since fixtures work tasks as the users they name), which must give the same trace too.
import { describe, expect, it } from 'vitest';
import { createEngine, type Caller, type Engine } from '../../src/index.js';
import { createTestDatabase, testBackends, type BackendName } from '../../src/testing/index.js';
import { findFixtures, loadFixture } from './fixture.js';
import { FIXTURE_CLOCK } from './snapshot.js';
import { runStep, type RunState } from './steps.js';
import { deployModel, type Deploying } from './deploy-model.js';

// PGlite takes seconds to open an engine, and a run with a fresh engine before every step opens one per
// step, in the same thread as the fixtures running beside it: on a busy machine that takes minutes.
const TIMEOUT = 600_000;

/**
 * Whether an engine keeps something in memory does not depend on the database under it, so the restarts
 * run where opening an engine is cheap: on PostgreSQL, or on PGlite when it is the only backend.
 */
const CALLER: Caller = { user_id: 'conformance', groups: [], roles: ['admin'], tenant_ids: [] };

const restartBackend = (): BackendName => (testBackends().includes('postgres') ? 'postgres' : 'pglite');

/**
 * Defines the conformance tests for one share of the fixtures. PGlite runs in the test worker's own
 * thread, so the suite is split over several files, which vitest runs on separate workers.
 */
export function defineConformance(share: number, shares: number): void {
  describe.each(testBackends())('conformance on %s', (backend) => {
    /** each fixture's run with one engine, started by whichever of its two tests asks first */
    const singleRuns = new Map<string, Promise<unknown[]>>();
    const runSingle = (name: string) => {
      if (!singleRuns.has(name)) singleRuns.set(name, runFixture(backend, name, { restartEveryStep: false }));
      return singleRuns.get(name)!;
    };

    // fixtures run side by side: each has a database of its own, and most of a run is waiting for it
    describe.concurrent.each(findFixtures().filter((_, i) => i % shares === share))('%s', (name) => {
      it('with one engine throughout', () => runSingle(name), TIMEOUT);

      if (backend !== restartBackend()) return;
      it('with a fresh engine before every step', async () => {
        const trace = await runFixture(backend, name, { restartEveryStep: true });
        const single = await runSingle(name).catch(() => undefined);
        if (single) expect(trace, 'the trace of the run with one engine').toEqual(single);
      }, TIMEOUT);

      it('acting for a caller', async () => {
        const trace = await runFixture(backend, name, { restartEveryStep: false, caller: CALLER });
        const single = await runSingle(name).catch(() => undefined);
        if (single) expect(trace, 'the trace of the run with no caller').toEqual(single);
      }, TIMEOUT);
    });
  });
}

async function runFixture(backend: BackendName, name: string, { restartEveryStep, caller }: { restartEveryStep: boolean; caller?: Caller }) {
  const fixture = loadFixture(name);
  // a database per run, so that no message, subscription or definition of one fixture reaches another
  const db = await createTestDatabase(backend, `conformance/${name}`);
  // jobs run only when a step runs them, on a clock that stands still: every run sees the same
  const openEngine = async () => {
    const opened = await createEngine({ ...db.options, jobs: { run: false }, now: () => new Date(FIXTURE_CLOCK) });
    return caller ? opened.as(caller) : opened;
  };
  let engine = await openEngine();
  /** false while a restart has closed the old engine and not yet opened the new one */
  let isOpen = true;
  try {
    const state: RunState = { defaultProcess: await deployFixture(engine, fixture), directory: fixture.directory, instances: new Map() };
    const trace: unknown[] = [];
    for (const [i, step] of fixture.steps.entries()) {
      if (restartEveryStep) {
        isOpen = false;
        await engine.close();
        engine = await openEngine();
        isOpen = true;
      }
      try {
        trace.push(await runStep(engine, state, step));
      } catch (e) {
        if (e instanceof Error) e.message = `step ${i + 1} ${JSON.stringify(step)}\n${e.message}`;
        throw e;
      }
    }
    return trace;
  } finally {
    if (isOpen) await engine.close();
    await db.drop();
  }
}

/** Deploys the fixture's models in order and answers the key `start` uses by default. */
export async function deployFixture(engine: Deploying, fixture: ReturnType<typeof loadFixture>): Promise<string> {
  let last: string[] = [];
  for (const model of fixture.models) {
    const { processes, deployed } = await deployModel(engine, model.file, model.xml);
    if (processes) last = deployed.map((d) => d.key);
  }
  if (fixture.process) return fixture.process;
  if (last.length !== 1) throw new Error(`${fixture.name}.bpmn has ${last.length} processes; say which one to start with "process"`);
  return last[0]!;
}

// The trace format is checked strictly: a misspelt key must fail its fixture, never assert nothing.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFixtures, loadFixture } from './fixture.js';
import { dueIn, FIXTURE_CLOCK } from './snapshot.js';

describe('trace files', () => {
  const root = mkdtempSync(join(tmpdir(), 'pm-fixture-format-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const write = (name: string, trace: unknown) => {
    mkdirSync(join(root, 'area'), { recursive: true });
    writeFileSync(join(root, `area/${name}.bpmn`), '<definitions/>');
    writeFileSync(join(root, `area/${name}.trace.json`), JSON.stringify(trace));
    return `area/${name}`;
  };

  it('finds fixtures by their trace files, leaving out corpus/ and invalid/', () => {
    write('found', { title: 't', steps: [{ start: {} }] });
    mkdirSync(join(root, 'invalid'), { recursive: true });
    writeFileSync(join(root, 'invalid/x.trace.json'), '{}');
    expect(findFixtures(root)).toEqual(['area/found']);
  });

  it('loads the models, extra files first', () => {
    writeFileSync(join(root, 'area/other.bpmn'), '<other/>');
    const fixture = loadFixture(write('deploys', { title: 't', deploy: ['other.bpmn'], steps: [{ start: {} }] }), root);
    expect(fixture.models.map((m) => m.xml)).toEqual(['<other/>', '<definitions/>']);
  });

  it('refuses an unknown step kind', () => {
    expect(() => loadFixture(write('kind', { title: 't', steps: [{ strat: {} }] }), root)).toThrow(/exactly one key/);
  });

  it('refuses a misspelt key in a step', () => {
    expect(() => loadFixture(write('key', { title: 't', steps: [{ expect: { wating: [] } }] }), root)).toThrow(/unknown key\(s\) wating/);
  });

  it('refuses a key a job step does not take', () => {
    expect(() => loadFixture(write('job', { title: 't', steps: [{ run_jobs: { activity_id: 'Timer_1' } }] }), root))
      .toThrow(/unknown key\(s\) activity_id/);
    expect(() => loadFixture(write('job2', { title: 't', steps: [{ run_job: { activityId: 'Timer_1' } }] }), root))
      .toThrow(/unknown key\(s\) activityId/);
  });

  it('refuses a misspelt key at the top', () => {
    expect(() => loadFixture(write('top', { title: 't', step: [] }), root)).toThrow(/unknown key\(s\) step/);
  });
});

describe('due_in', () => {
  const at = (ms: number) => new Date(FIXTURE_CLOCK.getTime() + ms).toISOString();

  it('reads a due time as hours, minutes and seconds from the fixture clock', () => {
    expect([0, 3_600_000, 5_400_000, 72 * 3_600_000, 1_500, 61_000].map((ms) => dueIn(at(ms))))
      .toEqual(['PT0S', 'PT1H', 'PT1H30M', 'PT72H', 'PT1.5S', 'PT1M1S']);
  });

  it('marks a due time already past with a minus', () => {
    expect(dueIn(at(-300_000))).toBe('-PT5M');
  });
});

// Real-world BPMN from other tools (bpmn-fixtures/corpus: the OMG MIWG test suite and Camunda's examples)
// must either compile or be refused with problems; never crash, never hang. Mangled copies of the same
// files check that broken input is refused the same way.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isEngineError, type Problem } from '../../src/errors.js';
import { compileDefinitions } from '../../src/model/compile-model.js';

const corpus = new URL('../../../../bpmn-fixtures/corpus/', import.meta.url);
const files = readdirSync(corpus, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.bpmn')).sort();

async function outcome(xml: Uint8Array): Promise<'compiled' | Problem[]> {
  try {
    const { processes } = await compileDefinitions(xml);
    expect(processes.length).toBeGreaterThan(0);
    return 'compiled';
  } catch (error) {
    if (!isEngineError(error) || error.code !== 'INVALID_BPMN') throw error;
    const problems = error.details?.problems as Problem[];
    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem.element_id === null || typeof problem.element_id === 'string').toBe(true);
      expect(typeof problem.message).toBe('string');
      expect(problem.message.length).toBeGreaterThan(0);
      // the compiler's last-resort guard: reaching it means a bug, not a bad file
      expect(problem.message).not.toMatch(/could not be compiled/);
    }
    return problems;
  }
}

/** A small seeded generator, so that every run mangles the files the same way. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mangled(bytes: Uint8Array, seed: number): Uint8Array[] {
  const next = random(seed);
  const at = () => Math.floor(next() * bytes.length);
  const flipped = Uint8Array.from(bytes);
  for (let i = 0; i < 20; i++) flipped[at()] = Math.floor(next() * 256);
  const cut = at();
  const text = new TextDecoder().decode(bytes);
  const withoutIds = text.replace(/ id="[^"]*"/g, (match) => (next() < 0.2 ? '' : match));
  const swapped = text.replace(/(sourceRef|targetRef|attachedToRef|default)="[^"]*"/g, (match, name: string) => (next() < 0.3 ? `${name}="Flow_${Math.floor(next() * 5)}"` : match));
  return [
    bytes.subarray(0, cut),
    flipped,
    new TextEncoder().encode(withoutIds),
    new TextEncoder().encode(swapped),
    new TextEncoder().encode(text.replaceAll('>', '>\u0000')),
  ];
}

describe('the BPMN corpus', () => {
  it('has the files and their attribution', () => {
    expect(files.length).toBeGreaterThanOrEqual(50);
    expect(readFileSync(new URL('miwg/README.md', corpus), 'utf8')).toMatch(/Creative Commons Attribution 3\.0/);
    expect(readFileSync(new URL('camunda-examples/README.md', corpus), 'utf8')).toMatch(/Apache License 2\.0/);
  });

  it.each(files)('%s compiles or is refused with problems', async (file) => {
    await outcome(readFileSync(new URL(file, corpus)));
  }, 20_000);

  it.each([
    'camunda-examples/invoice-approval.bpmn',
    'camunda-examples/message-start-process.bpmn',
    'camunda-examples/shared-definitions-sub-process.bpmn',
    'miwg/reference/C.8.1.bpmn',
    'miwg/tools/camunda-modeler-18.6.1/A.4.1-export.bpmn',
  ])('%s compiles', async (file) => {
    expect(await outcome(readFileSync(new URL(file, corpus)))).toBe('compiled');
  });

  it.each([
    ['camunda-examples/loan-approval.bpmn', 'ServiceTask_1', 'calculateInterestService'],
    ['camunda-examples/asynchronous-service-invocation.bpmn', 'serviceTaskActivity', 'asynchronousServiceTask'],
    ['camunda-examples/job-announcement-publication.bpmn', 'publish_announcement_twitter', 'jobAnnouncementServicePostToTwitter'],
  ])('%s runs its Java delegates as external tasks named after them', async (file, taskId, topic) => {
    const { processes } = await compileDefinitions(readFileSync(new URL(file, corpus)));
    expect(processes[0]?.elements.get(taskId)?.externalTask?.topic.literal).toBe(topic);
  });

  it.each([
    ['camunda-examples/job-announcement.bpmn', /the method call jobAnnouncementService\.find(Requester|Editor)/],
    ['camunda-examples/shared-definitions-main-process.bpmn', /the method call calledElementTenantIdProvider\.resolveTenantId/],
  ])('%s is refused for its bean expressions only, not for its call activity', async (file, reason) => {
    const problems = await outcome(readFileSync(new URL(file, corpus)));
    expect(problems).not.toBe('compiled');
    for (const problem of problems as Problem[]) expect(problem.message).toMatch(reason);
  });

  it.each(files.map((file, index) => [file, index] as const))('mangled copies of %s are compiled or refused', async (file, index) => {
    for (const bytes of mangled(readFileSync(new URL(file, corpus)), index + 1)) await outcome(bytes);
  }, 30_000);
});

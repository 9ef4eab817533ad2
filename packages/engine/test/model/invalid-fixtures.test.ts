// bpmn-fixtures/invalid: each model must be refused with exactly the problems its .problems.json lists.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { problemsOf } from './bpmn-documents.js';

interface ExpectedProblems {
  problems: { element_id: string | null; message_includes: string }[];
}

const folder = new URL('../../../../bpmn-fixtures/invalid/', import.meta.url);
const names = readdirSync(folder).filter((file) => file.endsWith('.bpmn')).map((file) => file.slice(0, -'.bpmn'.length)).sort();

describe('invalid models', () => {
  it('are there', () => {
    expect(names.length).toBeGreaterThanOrEqual(11);
  });

  it.each(names)('%s is refused with its problems', async (name) => {
    const expected = JSON.parse(readFileSync(new URL(`${name}.problems.json`, folder), 'utf8')) as ExpectedProblems;
    const problems = await problemsOf(readFileSync(new URL(`${name}.bpmn`, folder)));
    expect(problems).toEqual(expected.problems.map((p) => ({ element_id: p.element_id, message: expect.stringContaining(p.message_includes) })));
  });
});

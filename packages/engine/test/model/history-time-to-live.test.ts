// camunda:historyTimeToLive on a process: a number of days or P<n>D, as Camunda 7 accepts it; anything
// else is refused at deploy, naming the process.
import { describe, expect, it } from 'vitest';
import { compileOne, flow, problemsOf, processXml } from './bpmn-documents.js';

const withTtl = (ttl: string) => processXml(`<bpmn:startEvent id="S" />${flow('f', 'S', 'E')}<bpmn:endEvent id="E" />`)
  .replace('isExecutable="true"', `isExecutable="true" camunda:historyTimeToLive="${ttl}"`);

describe('camunda:historyTimeToLive', () => {
  it.each([['30', 30], ['0', 0], ['P5D', 5], [' 180 ', 180]])('reads %j as %i days', async (ttl, days) => {
    expect((await compileOne(withTtl(ttl))).historyTimeToLiveDays).toBe(days);
  });

  it('is absent when the process names none', async () => {
    expect((await compileOne(withTtl('x').replace(' camunda:historyTimeToLive="x"', ''))).historyTimeToLiveDays).toBeUndefined();
  });

  it.each(['P1M', 'PT24H', '-1', '1.5', 'soon', 'P99999999D'])('refuses %j', async (ttl) => {
    expect(await problemsOf(withTtl(ttl))).toEqual([expect.objectContaining({
      element_id: 'Process_1', message: expect.stringContaining(`camunda:historyTimeToLive '${ttl}' is not a number of days`),
    })]);
  });
});

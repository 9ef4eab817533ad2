import { anyObject, errorResponses, name255, time } from '../shared-schemas.js';

export const statisticsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { from: time, to: time, process_definition_key: name255 },
} as const;

const report = (summary: string, description: string) => ({
  tags: ['analytics'],
  summary,
  querystring: statisticsQuery,
  response: { 200: { description, ...anyObject }, ...errorResponses(400) },
});

export const statisticsSchema = report('Process statistics', 'the seed\'s ProcessStatistics for the period');
export const performanceSchema = report('Performance metrics', 'throughput, efficiency and quality of the period');
export const bottlenecksSchema = report('Bottleneck analysis', 'the activities where instances wait longest');

// /statistics, /performance, /bottlenecks: analytics over a period (task statistics live under /tasks).
import type { StatisticsQuery } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../auth/permissions.js';
import { bottlenecksSchema, performanceSchema, statisticsSchema } from './schemas.js';

const mayAnalyse = permit('analytics:read');

export async function analyticsRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: StatisticsQuery }>('/statistics', { config: mayAnalyse, schema: statisticsSchema }, async (request) =>
    request.engine.statistics(request.query));
  app.get<{ Querystring: StatisticsQuery }>('/performance', { config: mayAnalyse, schema: performanceSchema }, async (request) =>
    request.engine.performance(request.query));
  app.get<{ Querystring: StatisticsQuery }>('/bottlenecks', { config: mayAnalyse, schema: bottlenecksSchema }, async (request) =>
    request.engine.bottlenecks(request.query));
}

// /statistics, /performance, /bottlenecks: analytics over a period (task statistics live under /tasks).
import type { StatisticsQuery } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { bottlenecksSchema, performanceSchema, statisticsSchema } from './schemas.js';

export async function analyticsRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: StatisticsQuery }>('/statistics', { schema: statisticsSchema }, async (request) =>
    app.engine.statistics(request.query));
  app.get<{ Querystring: StatisticsQuery }>('/performance', { schema: performanceSchema }, async (request) =>
    app.engine.performance(request.query));
  app.get<{ Querystring: StatisticsQuery }>('/bottlenecks', { schema: bottlenecksSchema }, async (request) =>
    app.engine.bottlenecks(request.query));
}

// /statistics, /performance, /bottlenecks: analytics over a period (task statistics live under /tasks).
import type { StatisticsQuery } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { bottlenecksSchema, performanceSchema, statisticsSchema } from './schemas.js';

export async function analyticsRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: StatisticsQuery }>('/statistics', { config: { permission: 'analytics:read' }, schema: statisticsSchema }, async (request) =>
    request.engine.statistics(request.query));
  app.get<{ Querystring: StatisticsQuery }>('/performance', { config: { permission: 'analytics:read' }, schema: performanceSchema }, async (request) =>
    request.engine.performance(request.query));
  app.get<{ Querystring: StatisticsQuery }>('/bottlenecks', { config: { permission: 'analytics:read' }, schema: bottlenecksSchema }, async (request) =>
    request.engine.bottlenecks(request.query));
}

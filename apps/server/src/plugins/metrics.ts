// Prometheus metrics at GET /metrics: the process's default metrics, a histogram of request durations
// by route pattern (never the raw URL, which would make one series per id) and status, the engine's
// counters and histograms (fed by its observer, metrics/engine-observer.ts) and its gauges, read on scrape.
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Histogram, type Registry } from 'prom-client';
import { registerEngineGauges } from '../metrics/engine-gauges.js';

/** `registry` is the app's own, so that apps built side by side (tests) do not share or double-register metrics */
export function registerMetrics(app: FastifyInstance, registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  registerEngineGauges(
    registry,
    async () => (app.engineStatus === 'ready' ? app.engine.gauges() : undefined),
    (err) => app.log.warn({ err }, 'metrics: the engine could not read its gauges'),
  );

  app.addHook('onResponse', async (request, reply) => {
    // Unmatched URLs share one label value so that probing cannot grow the series without bound.
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  const schema = {
    tags: ['service'],
    summary: 'Prometheus metrics',
    // open to scrapers whether or not the API needs a token
    security: [],
    response: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } },
  };
  app.get('/metrics', { schema }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}

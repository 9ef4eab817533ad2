// A server span per HTTP request, continuing the trace of an incoming `traceparent`, named by the
// route pattern (never the raw URL). The route's handler runs with the span active, so the engine's
// command spans are its children. Tracing is started before the app is built (serve.ts): without an SDK
// registered then (tracing off), no hook is added and a request makes no span, not even a no-op one.
import {
  context, propagation, ProxyTracerProvider, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer,
} from '@opentelemetry/api';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';

const TRACER_NAME = '@dadms/process-manager-server';

/** the registered SDK's tracer, or undefined while tracing is off */
function sdkTracer(): Tracer | undefined {
  const provider = trace.getTracerProvider();
  return provider instanceof ProxyTracerProvider ? provider.getDelegateTracer(TRACER_NAME) : provider.getTracer(TRACER_NAME);
}

export function registerTracing(app: FastifyInstance): void {
  const tracer = sdkTracer();
  if (!tracer) return;
  const spans = new WeakMap<FastifyRequest, { span: Span; active: Context }>();

  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(`${request.method} ${route}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method, 'http.route': route, 'url.path': request.url.split('?')[0] },
    }, parent);
    spans.set(request, { span, active: trace.setSpan(parent, span) });
  });

  app.addHook('onRoute', (route) => {
    const handler = route.handler as RouteHandlerMethod;
    route.handler = function traced(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      const traced = spans.get(request);
      return traced ? context.with(traced.active, handler, this, request, reply) : handler.call(this, request, reply);
    };
  });

  app.addHook('onError', async (request, _reply, error) => {
    spans.get(request)?.span.recordException(error);
  });

  app.addHook('onResponse', async (request, reply) => {
    const traced = spans.get(request);
    if (!traced) return;
    traced.span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) traced.span.setStatus({ code: SpanStatusCode.ERROR });
    traced.span.end();
  });
}

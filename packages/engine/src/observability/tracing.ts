// The engine's spans, through the OpenTelemetry API alone: without an SDK registered by the embedder
// (the server registers one when OTEL_EXPORTER_OTLP_ENDPOINT is set) every call here is a no-op.
import { SpanStatusCode, TraceFlags, trace, type Link, type SpanOptions } from '@opentelemetry/api';

const tracer = trace.getTracer('@dadms/process-engine');

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The W3C traceparent of the span active now, or null outside a recording one. Rows keep it as text (a
 * job, an event) so that what they lead to later can name the command that wrote them.
 */
export function activeTraceparent(): string | null {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return null;
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`;
}

/** a link to the span a stored traceparent names; none for a missing or malformed one */
export function linkTo(traceparent: string | null | undefined): Link[] {
  const parts = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!parts) return [];
  return [{ context: { traceId: parts[1]!, spanId: parts[2]!, traceFlags: Number.parseInt(parts[3]!, 16) & TraceFlags.SAMPLED, isRemote: true } }];
}

/** runs `work` as the active span `name`, ended when it settles; a failure is recorded on it and thrown on */
export function inSpan<T>(name: string, options: SpanOptions, work: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await work();
    } catch (e) {
      span.recordException(e instanceof Error ? e : String(e));
      span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
      throw e;
    } finally {
      span.end();
    }
  });
}

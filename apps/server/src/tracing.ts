// OpenTelemetry tracing, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set: the SDK is then loaded and
// registered, and the spans the server and the engine make through @opentelemetry/api go to
// $OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces over OTLP/HTTP. Off, nothing but the API is loaded and every
// span is its no-op. The SDK's own variables (OTEL_SERVICE_NAME, OTEL_BSP_*, OTEL_TRACES_SAMPLER, …) apply.
import { context, propagation, trace } from '@opentelemetry/api';
import { serviceVersion } from './version.js';

/** flushes the spans not yet exported and switches tracing off again; does nothing while tracing is off */
export type StopTracing = () => Promise<void>;

export async function startTracing(): Promise<StopTracing> {
  const env = process.env;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_SDK_DISABLED === 'true') return async () => {};
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { detectResources, envDetector, resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, when set, win over the service's own name
  const resource = resourceFromAttributes({ 'service.name': 'process-manager', 'service.version': serviceVersion })
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
  // the W3C trace-context propagator and the async-hooks context manager, so spans nest across awaits
  provider.register();
  return async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  };
}

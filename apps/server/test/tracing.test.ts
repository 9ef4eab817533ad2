// Tracing end to end: the server as `npm start` runs it, with OTEL_EXPORTER_OTLP_ENDPOINT naming a real
// OTLP/HTTP receiver in this test. Starting an instance over HTTP gives the request's span, the command's
// span as its child, and the run of the service-task job the command created: a span of a trace of its
// own, linked to the command's, whose HTTP connector call carries its traceparent to the service called.
// The events the command committed name its trace too.
import { renameSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { createTestDatabase, freePort, type TestDatabase } from '@dadms/process-engine/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ServerProcess } from './faults/harness.js';
import { httpCallModel } from './models.js';

const eventually = { timeout: 60_000, interval: 100 };

/** a span as the OTLP/HTTP JSON encoding carries it (ids in hex) */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  links?: { traceId: string; spanId: string }[];
  attributes?: { key: string; value: Record<string, unknown> }[];
}

const SERVER = 2;
const CLIENT = 3;

/** an HTTP server that accepts what it is sent, keeping JSON bodies and the headers of each request */
async function listening(answer: (body: string, headers: IncomingHttpHeaders) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => {
      answer(body, req.headers);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const close = async (server: Server | undefined) => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
};

const traceparentOf = (span: OtlpSpan) => new RegExp(`^00-${span.traceId}-${span.spanId}-01$`);

describe('tracing with OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
  const spans: OtlpSpan[] = [];
  const contentTypes = new Set<string>();
  const serviceNames = new Set<unknown>();
  const calls: IncomingHttpHeaders[] = [];
  let receiver: Server;
  let service: Server;
  let db: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    let otlp: string;
    ({ server: receiver, url: otlp } = await listening((body, headers) => {
      contentTypes.add(String(headers['content-type']));
      const batch = JSON.parse(body) as { resourceSpans: { resource: Pick<OtlpSpan, 'attributes'>; scopeSpans: { spans: OtlpSpan[] }[] }[] };
      for (const { resource, scopeSpans } of batch.resourceSpans) {
        serviceNames.add(resource.attributes?.find((a) => a.key === 'service.name')?.value.stringValue);
        for (const scope of scopeSpans) spans.push(...scope.spans);
      }
    }));
    let serviceUrl: string;
    ({ server: service, url: serviceUrl } = await listening((_body, headers) => calls.push(headers)));
    // the embedded default, on a migrated copy of the store
    db = await createTestDatabase('pglite', 'server/tracing');
    const dataDir = dirname(db.options.dataDir!);
    renameSync(db.options.dataDir!, join(dataDir, 'pglite'));
    server = new ServerProcess(await freePort(), {
      DATA_DIR: dataDir,
      CONNECTOR_ALLOWED_URLS: serviceUrl,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_SERVICE_NAME: 'process-manager-test',
    });
    await server.start();
    await server.expect(201, 'POST', '/definitions', { bpmn_xml: httpCallModel('traced', `${serviceUrl}/calls`) });
  }, 120_000);

  afterAll(async () => {
    await server?.kill();
    await Promise.all([close(receiver), close(service)]);
    await db?.drop();
  });

  it('exports the spans of a request, its command and the job it created, linked, with traceparent sent on', async () => {
    const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const res = await fetch(`${server.url}/api/processes/instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: incoming },
      body: JSON.stringify({ process_definition_key: 'traced' }),
    });
    expect(res.status).toBe(201);
    const instanceId = (await res.json() as { id: string }).id;
    await vi.waitFor(async () => expect((await server.expect(200, 'GET', `/instances/${instanceId}`)).status).toBe('completed'), eventually);

    const find = (name: string, where: (span: OtlpSpan) => boolean = () => true) => spans.find((s) => s.name === name && where(s));
    let request: OtlpSpan | undefined;
    let command: OtlpSpan | undefined;
    let job: OtlpSpan | undefined;
    let connector: OtlpSpan | undefined;
    await vi.waitFor(() => {
      request = find('POST /api/processes/instances', (s) => s.traceId === '4bf92f3577b34da6a3ce929d0e0e4736');
      command = find('process_engine start_instance', (s) => s.parentSpanId === request?.spanId);
      job = find('process_engine job service', (s) => s.links?.some((l) => l.spanId === command?.spanId) ?? false);
      connector = find('HTTP POST', (s) => s.parentSpanId === job?.spanId);
      expect({ request, command, job, connector }).toEqual({
        request: expect.anything(), command: expect.anything(), job: expect.anything(), connector: expect.anything(),
      });
    }, eventually);

    // the request continues the caller's trace; the command is its child in that trace
    expect(request!).toMatchObject({ kind: SERVER, parentSpanId: '00f067aa0ba902b7' });
    expect(command!.traceId).toBe(request!.traceId);
    // the job ran later, in a trace of its own, linked to the command that created it
    expect(job!.traceId).not.toBe(command!.traceId);
    expect(job!.parentSpanId ?? '').toBe('');
    expect(job!.links).toEqual([expect.objectContaining({ traceId: command!.traceId, spanId: command!.spanId })]);
    // the service called hears the connector's span as its parent
    expect(connector!).toMatchObject({ kind: CLIENT, traceId: job!.traceId });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.traceparent).toMatch(traceparentOf(connector!));
    expect([...contentTypes]).toEqual(['application/json']);
    expect([...serviceNames]).toEqual(['process-manager-test']);

    // the events of the start name the command; the instance's completion, the job's run
    const events = (await server.expect(200, 'GET', `/events?process_instance_id=${instanceId}`)).data as { type: string; traceparent?: string }[];
    expect(events.find((e) => e.type === 'process_manager.instance.started')?.traceparent).toMatch(traceparentOf(command!));
    expect(events.find((e) => e.type === 'process_manager.instance.completed')?.traceparent).toMatch(new RegExp(`^00-${job!.traceId}-`));
  }, 120_000);
});

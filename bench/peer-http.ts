// A minimal HTTP server (node:http) in front of a Driver, answering the three routes the bench's HTTP
// driver sends for start → end and the user-task cycle: the start, the task lookup by instance and the
// completion. It puts bpmn-engine behind HTTP so that its figures over HTTP compare with the server's, driven
// by the same load generator; it has no validation, authentication, logging or metrics.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Driver } from './drivers.js';

export interface DriverServer {
  /** the base the HTTP driver takes, e.g. http://127.0.0.1:PORT */
  baseUrl: string;
  close(): Promise<void>;
}

export async function serveDriver(driver: Driver): Promise<DriverServer> {
  const server = createServer((request, response) => {
    answer(driver, request).then(
      ({ status, body }) => send(response, status, body),
      (err: Error) => send(response, 500, { message: err.message }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeIdleConnections();
    }),
  };
}

async function answer(driver: Driver, request: IncomingMessage): Promise<{ status: number; body?: unknown }> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const completion = /^\/tasks\/([^/]+)\/complete$/.exec(url.pathname);
  if (request.method === 'POST' && url.pathname === '/instances') {
    const { process_definition_key: key } = JSON.parse(await text(request)) as { process_definition_key: string };
    return { status: 201, body: await driver.start(key) };
  }
  if (request.method === 'GET' && url.pathname === '/tasks') {
    const tasks = await driver.openTasks(url.searchParams.get('process_instance_id') ?? '');
    return { status: 200, body: { data: tasks.map((id) => ({ id })) } };
  }
  if (request.method === 'POST' && completion) {
    await text(request);
    await driver.complete(decodeURIComponent(completion[1]!));
    return { status: 204 };
  }
  return { status: 404, body: { message: `${request.method} ${url.pathname}: no such route` } };
}

async function text(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  const json = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).end(json);
}

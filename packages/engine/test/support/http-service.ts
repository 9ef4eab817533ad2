// A real HTTP service on a free local port for the connector's calls: it records every request and
// answers what the test says, by default 200 with a JSON body.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import type { HttpConnectorOptions } from '../../src/index.js';

export interface ReceivedRequest {
  method: string;
  /** path and query */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** when it arrived (ms since the epoch) */
  at: number;
  /** the caller hung up before the service answered */
  hungUp?: boolean;
}

export interface Answer {
  status: number;
  body?: unknown;
}

export interface HttpService {
  /** the service's URL for a path, e.g. url('/orders') */
  url(path: string): string;
  /** requests received, oldest first */
  received: ReceivedRequest[];
  /** those received on a path (query left out) */
  receivedOn(path: string): ReceivedRequest[];
  /** what the service answers, at once or when the promise settles; change it any time */
  answer: (request: ReceivedRequest) => Answer | Promise<Answer>;
}

/** starts the service before the block's tests and stops it after them */
export function httpService(): HttpService {
  let server: Server | undefined;
  let base = '';
  const service: HttpService = {
    url: (path) => `${base}${path}`,
    received: [],
    receivedOn: (path) => service.received.filter((r) => r.url.split('?')[0] === path),
    answer: () => ({ status: 200, body: { ok: true } }),
  };
  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', async () => {
        const received: ReceivedRequest = {
          at: Date.now(), method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString('utf8'),
        };
        service.received.push(received);
        response.on('close', () => {
          if (!response.writableEnded) received.hungUp = true;
        });
        const { status, body } = await service.answer(received);
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(body === undefined ? '' : JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });
  return service;
}

/** the HTTP connector's options allowing calls of the service (read when an engine opens, once it listens) */
export const allowingService = (service: HttpService, extra: Omit<HttpConnectorOptions, 'allowedUrls'> = {}): HttpConnectorOptions => ({
  ...extra,
  get allowedUrls() {
    return [service.url('/')];
  },
});

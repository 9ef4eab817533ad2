// What the HTTP connector may call, and its secrets: the allow-list, the addresses a host resolves to
// (checked where the connection is made), and placeholders resolved only for the call.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  HttpCallError, parseAllowedUrl, performHttpRequest, systemResolver, type HostResolver, type HttpCallPolicy, type HttpRequest,
} from '../../src/connectors/index.js';
import { isNonPublicAddress } from '../../src/connectors/non-public-addresses.js';

interface Received { method: string; url: string; headers: IncomingHttpHeaders; body: string }

let server: Server;
let port = 0;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const echo: Received = { method: request.method!, url: request.url!, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(echo);
      const status = request.url!.startsWith('/fail') ? 500 : request.url!.startsWith('/moved') ? 302 : 200;
      response.writeHead(status, { 'content-type': 'application/json', ...(status === 302 ? { location: 'http://169.254.169.254/' } : {}) });
      response.end(JSON.stringify(echo));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  received.length = 0;
});

const get = (url: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({ url, method: 'GET', headers: {}, timeout_ms: 5000, ...extra });
const policy = (allowed: string[], extra: Partial<HttpCallPolicy> = {}): HttpCallPolicy =>
  ({ allowList: allowed.map(parseAllowedUrl), secrets: () => undefined, resolve: systemResolver, ...extra });
/** a DNS of the test's own: each name resolves to the addresses given, and the names asked are kept */
const fakeDns = (names: Record<string, string[]>) => {
  const asked: string[] = [];
  const resolve: HostResolver = async (hostname) => {
    asked.push(hostname);
    return (names[hostname] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { asked, resolve };
};

describe('the allow-list', () => {
  it('refuses a URL under no entry, comparing origins as parsed and paths by segment', async () => {
    const allowed = policy([`http://127.0.0.1:${port}/v1`]);
    for (const url of [`http://127.0.0.1:${port}/v10`, `http://127.0.0.1:${port}/`, `https://127.0.0.1:${port}/v1`, `http://127.0.0.1:${port + 1}/v1`, `http://localhost:${port}/v1`]) {
      await expect(performHttpRequest(get(url), allowed)).rejects.toThrow(`GET ${url} is refused: it is under none of the connector's allowed URLs`);
    }
    expect(received).toEqual([]);
    expect((await performHttpRequest(get(`http://127.0.0.1:${port}/v1/orders`), allowed)).status).toBe(200);
    expect((await performHttpRequest(get(`http://127.0.0.1:${port}/v1?x=1`), allowed)).status).toBe(200);
    expect(received.map((r) => r.url)).toEqual(['/v1/orders', '/v1?x=1']);
  });

  it('refuses everything with an empty list', async () => {
    await expect(performHttpRequest(get(`http://127.0.0.1:${port}/`), policy([]))).rejects.toThrow(/is refused: it is under none/);
    expect(received).toEqual([]);
  });

  it('refuses entries that are no http(s) URL prefix', () => {
    for (const entry of ['ftp://files.example', 'http://me:pw@api.example', 'http://api.example/?q=1', 'http://api.example/#x', 'api.example', '']) {
      expect(() => parseAllowedUrl(entry), entry).toThrow(/is no allowed URL/);
    }
    expect(parseAllowedUrl('HTTPS://API.Example:443/v1')).toEqual({ protocol: 'https:', host: 'api.example', path: '/v1' });
    expect(parseAllowedUrl('https://')).toEqual({ protocol: 'https:', path: '/' });
  });
});

describe('the addresses a call may reach', () => {
  it('refuses 127.0.0.1 and a name resolving to it through an entry of a scheme alone, without connecting', async () => {
    const dns = fakeDns({ 'rebound.example': ['127.0.0.1'] });
    const anyHost = policy(['http://'], { resolve: dns.resolve });
    await expect(performHttpRequest(get(`http://127.0.0.1:${port}/`), anyHost))
      .rejects.toThrow(`GET http://127.0.0.1:${port}/ is refused: 127.0.0.1 is a loopback, link-local or private address`);
    await expect(performHttpRequest(get(`http://rebound.example:${port}/`), anyHost))
      .rejects.toThrow(`GET http://rebound.example:${port}/ is refused: rebound.example resolves to 127.0.0.1, a loopback, link-local or private address`);
    await expect(performHttpRequest(get(`http://localhost:${port}/`), policy(['http://'])))
      .rejects.toThrow(new RegExp(`^GET http://localhost:${port}/ is refused: localhost resolves to (127\\.0\\.0\\.1|::1)`));
    expect(dns.asked).toEqual(['rebound.example']);
    expect(received).toEqual([]);
  });

  it('refuses a name with a public and a private address, each resolved once', async () => {
    const dns = fakeDns({ 'mixed.example': ['93.184.215.14', '10.1.2.3'] });
    await expect(performHttpRequest(get('http://mixed.example/'), policy(['http://'], { resolve: dns.resolve })))
      .rejects.toThrow('mixed.example resolves to 10.1.2.3');
    expect(dns.asked).toEqual(['mixed.example']);
  });

  it('refuses literal loopback, link-local, private and IPv4-mapped addresses, IPv6 ones too', async () => {
    for (const host of ['10.0.0.1', '172.16.5.4', '192.168.1.1', '169.254.169.254', '0.0.0.0', '100.64.0.1', '[::1]', '[fd00::1]', '[fe80::1]', '[::ffff:127.0.0.1]', '[::ffff:10.0.0.1]']) {
      await expect(performHttpRequest(get(`http://${host}:${port}/`), policy(['http://'])), host).rejects.toThrow(/is refused: .* is a loopback, link-local or private address/);
    }
    expect(received).toEqual([]);
  });

  it('tells public addresses from the others', () => {
    for (const address of ['8.8.8.8', '93.184.215.14', '2001:4860:4860::8888', '::ffff:8.8.8.8']) expect(isNonPublicAddress(address), address).toBe(false);
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::', 'fc00::1', 'fe80::abcd', 'ff02::1', '::ffff:192.168.0.1', '64:ff9b::7f00:1', '224.0.0.1', '255.255.255.255']) {
      expect(isNonPublicAddress(address), address).toBe(true);
    }
  });

  it('lets an entry naming the host reach it at a private address, connecting to the address resolved', async () => {
    const dns = fakeDns({ 'orders.internal': ['127.0.0.1'] });
    const result = await performHttpRequest(get(`http://orders.internal:${port}/list`), policy([`http://orders.internal:${port}`], { resolve: dns.resolve }));
    // no DNS knows orders.internal: the connection went where the resolver said
    expect(result.status).toBe(200);
    expect(received).toMatchObject([{ url: '/list', headers: { host: `orders.internal:${port}` } }]);
    expect((await performHttpRequest(get(`http://127.0.0.1:${port}/x`), policy([`http://127.0.0.1:${port}/`]))).status).toBe(200);
    expect((await performHttpRequest(get(`http://localhost:${port}/y`), policy([`http://localhost:${port}`]))).status).toBe(200);
  });

  it('does not follow a redirect: the 3xx answer is the result', async () => {
    const result = await performHttpRequest(get(`http://127.0.0.1:${port}/moved`), policy([`http://127.0.0.1:${port}`]));
    expect(result).toMatchObject({ status: 302, headers: { location: 'http://169.254.169.254/' } });
    expect(received.map((r) => r.url)).toEqual(['/moved']);
  });
});

describe('secrets', () => {
  const SECRET = 'tok-3f9a&c/d e';
  const secrets = (name: string) => (name === 'API_TOKEN' ? SECRET : undefined);
  const allowed = () => policy([`http://127.0.0.1:${port}`], { secrets });

  it('puts each value in for the call only: url path and query, headers and body', async () => {
    const request: HttpRequest = {
      url: `http://127.0.0.1:${port}/echo/%7B%7Bsecrets.API_TOKEN%7D%7D?key=%7B%7Bsecrets.API_TOKEN%7D%7D&raw={{secrets.API_TOKEN}}`,
      method: 'POST', headers: { authorization: 'Bearer {{secrets.API_TOKEN}}' }, body: '{"token":"{{secrets.API_TOKEN}}"}', timeout_ms: 5000,
    };
    const stored = JSON.stringify(request);
    const result = await performHttpRequest(request, allowed());
    const encoded = encodeURIComponent(SECRET);
    expect(received).toMatchObject([{
      url: `/echo/${encoded}?key=${encoded}&raw=${encoded}`, headers: { authorization: `Bearer ${SECRET}` }, body: `{"token":"${SECRET}"}`,
    }]);
    // the request is as it was, and the echo of the service shows placeholders
    expect(JSON.stringify(request)).toBe(stored);
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(JSON.stringify(result)).not.toContain(encoded);
    expect(result.body).toMatchObject({ headers: { authorization: 'Bearer {{secrets.API_TOKEN}}' } });
  });

  it('keeps values out of the error of an answer that echoes them', async () => {
    const call = performHttpRequest(get(`http://127.0.0.1:${port}/fail?key={{secrets.API_TOKEN}}`, { headers: { 'x-key': '{{secrets.API_TOKEN}}' } }), allowed());
    const error = await call.then(() => new Error('the call succeeded'), (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(HttpCallError);
    expect(error.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/fail\?key=\{\{secrets\.API_TOKEN\}\} answered 500 Internal Server Error: /);
    expect(error.message).toContain('{{secrets.API_TOKEN}}');
    expect(`${error.message}${error.stack}`).not.toContain(SECRET);
    expect(received).toHaveLength(1);
  });

  it('fails, naming the secret, when it has no value, without calling', async () => {
    const call = performHttpRequest(get(`http://127.0.0.1:${port}/`, { headers: { authorization: '{{secrets.MISSING}}' } }), allowed());
    await expect(call).rejects.toThrow(`GET http://127.0.0.1:${port}/ failed: the secret 'MISSING' is not set`);
    expect(received).toEqual([]);
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildHttpRequest, HttpCallError, parseAllowedUrl, performHttpRequest, resultVariables, systemResolver, type HttpCallPolicy, type HttpConnectorSpec,
  type HttpRequest,
} from '../../src/connectors/index.js';
import { compileExpression, evaluateExpression, ExpressionError, type Expression } from '../../src/expressions/index.js';

/** `=…` is FEEL, anything else a literal, as in a Zeebe model. */
function expr(source: string): Expression {
  const compiled = compileExpression(source, 'literal');
  if (!('expression' in compiled)) throw new Error(compiled.error);
  return compiled.expression;
}

/** the connector's rules, allowing the given URLs, with no secrets */
const allowing = (...urls: string[]): HttpCallPolicy => ({ allowList: urls.map(parseAllowedUrl), secrets: () => undefined, resolve: systemResolver });

const build = (spec: Omit<HttpConnectorSpec, 'outputs'>, variables: Record<string, unknown> = {}) =>
  buildHttpRequest({ outputs: [], ...spec }, (expression) => evaluateExpression(expression, variables));

// A local service: /echo answers with what it received, the others with fixed answers.
const routes: Record<string, (request: IncomingMessage, body: string, response: ServerResponse) => void> = {
  '/echo': (request, body, response) => {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-served-by': 'test' });
    response.end(JSON.stringify({ method: request.method, url: request.url, headers: request.headers, body }));
  },
  '/text': (_request, _body, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('plain {"not": "parsed"}');
  },
  '/broken-json': (_request, _body, response) => {
    response.writeHead(200, { 'content-type': 'application/problem+json' });
    response.end('{oops');
  },
  '/empty': (_request, _body, response) => {
    response.writeHead(204);
    response.end();
  },
  '/fail': (_request, _body, response) => {
    response.writeHead(500, { 'content-type': 'text/plain' });
    response.end('database\n  down');
  },
  // never answers: the client's timeout must end the call
  '/slow': () => {},
};

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => routes[new URL(request.url!, 'http://local').pathname]!(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

describe('building the request', () => {
  it('defaults to GET with a 20 s timeout and no body', () => {
    expect(build({ url: expr(`${base}/echo`) })).toEqual({ url: `${base}/echo`, method: 'GET', headers: {}, timeout_ms: 20_000 });
  });

  it('appends query parameters to those of the url, skipping nulls and repeating lists', () => {
    const request = build({ url: expr(`${base}/echo?a=1`), query: expr('={q: "x y&z", ids: [1, 2], none: null, yes: true}') });
    expect(request.url).toBe(`${base}/echo?a=1&q=x+y%26z&ids=1&ids=2&yes=true`);
  });

  it('sends text bodies as they are and other bodies as JSON', () => {
    expect(build({ url: expr(`${base}/echo`), method: expr('post'), body: expr('=text'), headers: expr('={"Content-Type": "text/csv"}') }, { text: 'a,b' }))
      .toMatchObject({ method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: 'a,b' });
    expect(build({ url: expr(`${base}/echo`), method: expr('PUT'), body: expr('=[1, {a: null}]') }))
      .toMatchObject({ headers: { 'content-type': 'application/json' }, body: '[1,{"a":null}]' });
    expect(build({ url: expr(`${base}/echo`), method: expr('PATCH'), body: expr('={a: 1}'), headers: expr('={"content-type": "application/merge-patch+json"}') }))
      .toMatchObject({ headers: { 'content-type': 'application/merge-patch+json' }, body: '{"a":1}' });
  });

  it('takes the timeout in seconds, as a number or as text', () => {
    expect(build({ url: expr(`${base}/echo`), timeoutSeconds: expr('2.5') }).timeout_ms).toBe(2500);
    expect(build({ url: expr(`${base}/echo`), timeoutSeconds: expr('=seconds') }, { seconds: 3 }).timeout_ms).toBe(3000);
  });

  it.each<[string, Omit<HttpConnectorSpec, 'outputs'>, RegExp]>([
    ['a url that is not http', { url: expr('ftp://files.example/a') }, /^The HTTP url 'ftp:\/\/files\.example\/a' yields "ftp:\/\/files\.example\/a", which is not an http or https URL$/],
    ['a url that is not text', { url: expr('=42') }, /The HTTP url '=42' yields 42, which is not an http or https URL/],
    ['a url with credentials', { url: expr('https://me:secret@api.example') }, /gives a URL with credentials; send them in an Authorization header instead/],
    ['an unknown method', { url: expr('http://api.example/x'), method: expr('FETCH') }, /The HTTP method 'FETCH' yields "FETCH", which is not one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS/],
    ['a body on a GET request', { url: expr('http://api.example/x'), body: expr('={a: 1}') }, /The HTTP body '=\{a: 1\}' is set, but a GET request cannot have a body/],
    ['headers that are not a context', { url: expr('http://api.example/x'), headers: expr('=["a"]') }, /The HTTP headers '=\["a"\]' yield \["a"\], which is not a context/],
    ['a header that is not text', { url: expr('http://api.example/x'), headers: expr('={a: {b: 1}}') }, /yield \{"b":1\} for 'a', which is neither text, a number nor a boolean/],
    ['a header name that cannot be sent', { url: expr('http://api.example/x'), headers: expr('={"bad name": "x"}') }, /The HTTP headers '.*' cannot be sent: .*bad name/],
    ['a query parameter that is not text', { url: expr('http://api.example/x'), query: expr('={a: {b: 1}}') }, /The HTTP query parameters '.*' yield \{"b":1\} for 'a'/],
    ['a timeout that is not positive', { url: expr('http://api.example/x'), timeoutSeconds: expr('0') }, /The HTTP timeout '0' yields "0", which is not a number of seconds above 0 and at most 86400/],
  ])('refuses %s with an ExpressionError naming the expression', (_title, spec, message) => {
    const attempt = () => build(spec);
    expect(attempt).toThrow(ExpressionError);
    expect(attempt).toThrow(message);
  });

  it('passes on the error of an expression that cannot be evaluated', () => {
    expect(() => build({ url: expr('=base + "/x"') })).toThrow(/The expression '=base \+ "\/x"' has no value/);
  });

  it('is JSON-serialisable, as it is stored with the job', () => {
    const request = build({ url: expr(`${base}/echo`), method: expr('POST'), body: expr('={a: 1}'), headers: expr('={h: 1}') });
    expect(JSON.parse(JSON.stringify(request))).toEqual(request);
  });
});

describe('performing the call', () => {
  it('makes a GET request with query parameters and headers', async () => {
    const request = build({ url: expr(`${base}/echo`), query: expr('={q: "books"}'), headers: expr('={"X-Trace": trace, Accept: "application/json"}') }, { trace: 't-1' });
    const result = await performHttpRequest(request, allowing(base));
    expect(result.status).toBe(200);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'x-served-by': 'test' });
    const echo = result.body as Echo;
    expect(echo).toMatchObject({ method: 'GET', url: '/echo?q=books', body: '' });
    expect(echo.headers).toMatchObject({ 'x-trace': 't-1', accept: 'application/json' });
  });

  it('posts a JSON body', async () => {
    const request = build({ url: expr(`${base}/echo`), method: expr('POST'), body: expr('=order') }, { order: { id: 7, items: ['book'] } });
    const echo = (await performHttpRequest(request, allowing(base))).body as Echo;
    expect(echo.method).toBe('POST');
    expect(echo.headers['content-type']).toBe('application/json');
    expect(JSON.parse(echo.body)).toEqual({ id: 7, items: ['book'] });
  });

  it('keeps a body that is not JSON as text, and an empty one as null', async () => {
    const call = (path: string) => performHttpRequest({ url: `${base}${path}`, method: 'GET', headers: {}, timeout_ms: 5000 }, allowing(base));
    expect((await call('/text')).body).toBe('plain {"not": "parsed"}');
    expect((await call('/broken-json')).body).toBe('{oops');
    expect(await call('/empty')).toMatchObject({ status: 204, body: null });
  });

  it('fails with HttpCallError on a status of 400 or more, naming method, url, status and what the service said', async () => {
    const call = performHttpRequest({ url: `${base}/fail`, method: 'DELETE', headers: {}, timeout_ms: 5000 }, allowing(base));
    await expect(call).rejects.toThrow(HttpCallError);
    await expect(call).rejects.toMatchObject({ status: 500, message: `DELETE ${base}/fail answered 500 Internal Server Error: database down` });
  });

  it('fails with HttpCallError when no answer comes in time', async () => {
    const call = performHttpRequest({ url: `${base}/slow`, method: 'GET', headers: {}, timeout_ms: 200 }, allowing(base));
    await expect(call).rejects.toThrow(HttpCallError);
    await expect(call).rejects.toThrow(`GET ${base}/slow failed: no answer within 0.2 s`);
  });

  it('fails with HttpCallError when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise((resolve) => closed.close(resolve));
    const call = performHttpRequest({ url, method: 'GET', headers: {}, timeout_ms: 5000 }, allowing(url));
    await expect(call).rejects.toThrow(HttpCallError);
    await expect(call).rejects.toThrow(new RegExp(`^GET ${url} failed: connect ECONNREFUSED 127\\.0\\.0\\.1:`));
    await expect(call).rejects.toMatchObject({ status: undefined });
  });
});

describe('the variables of the result', () => {
  const result = { status: 201, headers: { 'content-type': 'application/json', location: '/orders/7' }, body: { id: 7, lines: [{ sku: 'a' }] } };

  it('evaluates Camunda 7 output parameters over response, statusCode and headers', () => {
    const outputs = [
      { source: expr('${response}'), target: 'order' },
      { source: expr('${statusCode}'), target: 'status' },
      { source: expr('=response.lines[1].sku'), target: 'firstSku' },
      { source: expr('=get value(headers, "location")'), target: 'location' },
    ];
    expect(resultVariables({ url: expr('http://x.example'), outputs }, result)).toEqual(
      new Map<string, unknown>([['order', result.body], ['status', 201], ['firstSku', 'a'], ['location', '/orders/7']]),
    );
  });

  it('stores the whole result under resultVariable and spreads the context of resultExpression', () => {
    const spec: HttpConnectorSpec = {
      url: expr('http://x.example'),
      outputs: [],
      resultVariable: 'reply',
      resultExpression: expr('={orderId: body.id, created: response.status = 201}'),
    };
    expect(resultVariables(spec, result)).toEqual(new Map<string, unknown>([['reply', result], ['orderId', 7], ['created', true]]));
  });

  it('gives no variables without mappings, and none for a null resultExpression', () => {
    expect(resultVariables({ url: expr('http://x.example'), outputs: [] }, result).size).toBe(0);
    expect(resultVariables({ url: expr('http://x.example'), outputs: [], resultExpression: expr('=null') }, result).size).toBe(0);
  });

  it('throws ExpressionError when a mapping cannot be evaluated', () => {
    const resultExpression = expr('=body.id');
    expect(() => resultVariables({ url: expr('http://x.example'), outputs: [], resultExpression }, result))
      .toThrow(new ExpressionError("The result expression '=body.id' yields 7, which is not a context", { expression: '=body.id' }));
    expect(() => resultVariables({ url: expr('http://x.example'), outputs: [{ source: expr('=missing + 1'), target: 'x' }] }, result)).toThrow(ExpressionError);
  });

  it('turns a real response into variables end to end', async () => {
    const spec: HttpConnectorSpec = {
      url: expr(`${base}/echo`),
      method: expr('POST'),
      body: expr('={n: n}'),
      outputs: [],
      resultExpression: expr('={echoed: body.body, via: get value(headers, "x-served-by")}'),
    };
    const request: HttpRequest = build(spec, { n: 1 });
    const variables = resultVariables(spec, await performHttpRequest(request, allowing(base)));
    expect(Object.fromEntries(variables)).toEqual({ echoed: '{"n":1}', via: 'test' });
  });
});

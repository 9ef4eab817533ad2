// Authentication: every way a bearer token can be wrong answers 401 with a Bearer challenge, never a 500;
// a good token gets through. Keys: an HMAC secret, a PEM public key, a JWKS served over HTTP (cached,
// fetched again for an unknown kid). Tokens are checked before the engine is asked anything, so one
// backend is enough here.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../src/auth/token-verifier.js';
import { loadConfig } from '../../src/config.js';
import { call, expectContractKept, expectError, startTestApp, type TestApp } from '../support.js';
import { AUDIENCE, ISSUER, SECRET, SECRET_ENV, token } from './tokens.js';

const b64 = (json: object) => Buffer.from(JSON.stringify(json)).toString('base64url');

async function expectRefused(t: TestApp, authorization: string | undefined) {
  const res = await call(t.app, 'GET', '/definitions', undefined, authorization === undefined ? {} : { authorization });
  expectError(res, 401, 'UNAUTHENTICATED');
  expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
}

const expectAccepted = async (t: TestApp, jwt: string) =>
  expect((await call(t.app, 'GET', '/definitions', undefined, { authorization: `Bearer ${jwt}` })).statusCode).toBe(200);

/** a JWKS over HTTP whose keys a test can change, counting how often it is fetched */
async function jwksServer() {
  const served = { keys: [] as JWK[], fetches: 0 };
  const server: Server = createServer((_req, res) => {
    served.fetches++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: served.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  return { served, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function signingKey(alg: 'RS256' | 'ES256', kid: string) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, pem: await exportSPKI(publicKey), jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

describe('configuration of authentication', () => {
  it('turns authentication on with a key, and refuses what cannot work', () => {
    expect(loadConfig({}).auth.mode).toBe('none');
    expect(loadConfig(SECRET_ENV).auth).toMatchObject({ mode: 'jwt', issuer: ISSUER, audience: AUDIENCE, key: { kind: 'secret' } });
    // a production service with a key needs no AUTH_DISABLED
    expect(loadConfig({ ...SECRET_ENV, NODE_ENV: 'production' }).auth.mode).toBe('jwt');
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_JWT_SECRET/);
    expect(() => loadConfig({ AUTH_JWT_SECRET: 'short' })).toThrow(/at least 32 bytes/);
    expect(() => loadConfig({ AUTH_JWT_PUBLIC_KEY: 'not a key' })).toThrow(/PEM public key/);
    expect(() => loadConfig({ AUTH_JWT_SECRET: SECRET, AUTH_JWKS_URL: 'https://id.example.com/jwks' })).toThrow(/only one of/);
    expect(() => loadConfig({ AUTH_JWT_SECRET: SECRET, AUTH_DISABLED: 'true' })).toThrow(/AUTH_DISABLED/);
  });
});

describe('a service verifying tokens with a secret', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('pglite', 'auth-secret', {}, SECRET_ENV);
  });
  afterAll(() => t?.close());

  it('lets a good token through, with 30 s of clock skew', async () => {
    await expectAccepted(t, await token({ sub: 'alice' }));
    await expectAccepted(t, await token({ sub: 'alice' }, { expiresIn: -20 }));
    await expectAccepted(t, await token({ sub: 'alice' }, { notBefore: 20 }));
    expectContractKept(t);
  });

  it('answers a request without a token with the bare challenge', async () => {
    const res = await call(t.app, 'GET', '/definitions');
    expectError(res, 401, 'UNAUTHENTICATED');
    expect(res.headers['www-authenticate']).toBe('Bearer realm="process-manager"');
  });

  it('refuses every forged, stale or malformed token with 401', async () => {
    const alice = { sub: 'alice', roles: ['admin'] };
    const good = await token(alice);
    const [header, payload] = good.split('.');
    const refused: (string | undefined)[] = [
      `Basic ${Buffer.from('alice:secret').toString('base64')}`,
      'Bearer',
      'Bearer not-a-token',
      'Bearer a.b.c',
      `Bearer ${good} extra`,
      // alg none, unsigned
      `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      // a header that is no JSON
      `Bearer ${Buffer.from('{alg:').toString('base64url')}.${payload}.${good.split('.')[2]}`,
      // the payload changed under a valid signature
      `Bearer ${header}.${b64({ ...alice, sub: 'mallory' })}.${good.split('.')[2]}`,
      `Bearer ${await token(alice, { key: new TextEncoder().encode('another-secret-of-at-least-32-bytes!!') })}`,
      `Bearer ${await token(alice, { expiresIn: -60 })}`,
      `Bearer ${await token(alice, { expiresIn: null })}`,
      `Bearer ${await token(alice, { issuer: 'https://elsewhere.example.com' })}`,
      `Bearer ${await token(alice, { audience: 'another-service' })}`,
      `Bearer ${await token(alice, { notBefore: 120 })}`,
      `Bearer ${await token({ roles: ['admin'] })}`,
      `Bearer ${await token({ sub: 'alice', roles: 'admin' })}`,
      `Bearer ${await token({ sub: 'alice', tenant_ids: [1, 2] })}`,
    ];
    for (const authorization of refused) await expectRefused(t, authorization);
    expectContractKept(t);
  });

  it('keeps /health and /metrics open, and /health without workload counts', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json().auth).toEqual({ mode: 'jwt' });
    expect(health.json().performance).not.toHaveProperty('active_instances');
    expect(health.json().performance).not.toHaveProperty('pending_tasks');
    expect(health.json().performance).not.toHaveProperty('open_incidents');
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    expectContractKept(t);
  });

  it('declares the bearer scheme in the OpenAPI document, open for /health and /metrics', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/health'].get.security).toEqual([]);
    expect(doc.paths['/metrics'].get.security).toEqual([]);
  });
});

describe('a service verifying tokens with a PEM public key', () => {
  let t: TestApp;
  let rsa: Awaited<ReturnType<typeof signingKey>>;
  beforeAll(async () => {
    rsa = await signingKey('RS256', 'rsa-1');
    t = await startTestApp('pglite', 'auth-pem', {}, { AUTH_JWT_PUBLIC_KEY: rsa.pem, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE });
  });
  afterAll(() => t?.close());

  it('accepts a token signed with the private key', async () => {
    await expectAccepted(t, await token({ sub: 'alice' }, { alg: 'RS256', key: rsa.privateKey }));
  });

  it('refuses an HS256 token whose secret is the public key itself, and a token of another key', async () => {
    const confused = await token({ sub: 'alice', roles: ['admin'] }, { alg: 'HS256', key: new TextEncoder().encode(rsa.pem) });
    await expectRefused(t, `Bearer ${confused}`);
    const other = await signingKey('RS256', 'rsa-2');
    await expectRefused(t, `Bearer ${await token({ sub: 'alice' }, { alg: 'RS256', key: other.privateKey })}`);
    const ec = await signingKey('ES256', 'ec-1');
    await expectRefused(t, `Bearer ${await token({ sub: 'alice' }, { alg: 'ES256', key: ec.privateKey })}`);
  });

  it('takes a PEM written on one line with \\n for its line breaks', () => {
    const config = loadConfig({ AUTH_JWT_PUBLIC_KEY: rsa.pem.trim().replace(/\n/g, '\\n') });
    expect(config.auth).toMatchObject({ mode: 'jwt', key: { kind: 'public-key' } });
  });
});

describe('a service verifying tokens with a JWKS', () => {
  let t: TestApp;
  let jwks: Awaited<ReturnType<typeof jwksServer>>;
  let first: Awaited<ReturnType<typeof signingKey>>;
  beforeAll(async () => {
    jwks = await jwksServer();
    first = await signingKey('RS256', 'key-1');
    jwks.served.keys = [first.jwk];
    t = await startTestApp('pglite', 'auth-jwks', {}, { AUTH_JWKS_URL: jwks.url, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE });
  });
  afterAll(async () => {
    await t?.close();
    await jwks?.close();
  });

  it('accepts tokens of a key of the set, fetching the set once', async () => {
    const before = jwks.served.fetches;
    await expectAccepted(t, await token({ sub: 'alice' }, { alg: 'RS256', kid: 'key-1', key: first.privateKey }));
    await expectAccepted(t, await token({ sub: 'bob' }, { alg: 'RS256', kid: 'key-1', key: first.privateKey }));
    expect(jwks.served.fetches - before).toBe(1);
  });

  it('refuses a token of a key not in the set, and an HS256 token', async () => {
    const stranger = await signingKey('RS256', 'key-x');
    await expectRefused(t, `Bearer ${await token({ sub: 'alice' }, { alg: 'RS256', kid: 'key-x', key: stranger.privateKey })}`);
    await expectRefused(t, `Bearer ${await token({ sub: 'alice' }, { alg: 'HS256', kid: 'key-1', key: new TextEncoder().encode(SECRET) })}`);
  });
});

describe('the JWKS cache', () => {
  it('serves known kids from the cache and fetches the set again for an unknown kid', async () => {
    const jwks = await jwksServer();
    try {
      const first = await signingKey('RS256', 'key-1');
      const second = await signingKey('ES256', 'key-2');
      jwks.served.keys = [first.jwk];
      const verify = createTokenVerifier({ kind: 'jwks', url: jwks.url }, { issuer: ISSUER, audience: AUDIENCE, jwksCooldownMs: 0 });
      const signedBy = (key: typeof first, kid: string, alg: string) => token({ sub: 'alice' }, { alg, kid, key: key.privateKey });

      await verify(await signedBy(first, 'key-1', 'RS256'));
      await verify(await signedBy(first, 'key-1', 'RS256'));
      expect(jwks.served.fetches).toBe(1);

      // the provider rotates: its new key is found by fetching the set again
      jwks.served.keys = [first.jwk, second.jwk];
      await expect(verify(await signedBy(second, 'key-2', 'ES256'))).resolves.toMatchObject({ sub: 'alice' });
      expect(jwks.served.fetches).toBe(2);

      await expect(verify(await signedBy(second, 'key-3', 'ES256'))).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
      expect(jwks.served.fetches).toBe(3);
    } finally {
      await jwks.close();
    }
  });
});

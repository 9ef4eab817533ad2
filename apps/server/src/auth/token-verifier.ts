// Verifies a bearer token with jose against the configured key: its signature with an algorithm of that
// key's kind only (an HS token never passes against a public key), its issuer and audience when
// configured, a required expiry, and nbf, with some clock skew.
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { KeyObject } from 'node:crypto';
import type { TokenKey } from '../config.js';

const CLOCK_SKEW_SECONDS = 30;
/** a JWKS that does not answer in this time fails the request, not the service */
const JWKS_TIMEOUT_MS = 2000;

const HMAC = ['HS256', 'HS384', 'HS512'];
const RSA = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const EC_BY_CURVE: Record<string, string> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };
const ASYMMETRIC = [...RSA, ...Object.values(EC_BY_CURVE), 'EdDSA', 'Ed25519'];

/** The algorithms a public key can verify: those of its own kind only. */
function algorithmsOf(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return RSA;
    case 'ec': {
      const alg = EC_BY_CURVE[key.asymmetricKeyDetails?.namedCurve ?? ''];
      return alg ? [alg] : [];
    }
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    default:
      return [];
  }
}

export interface VerifierOptions {
  issuer?: string;
  audience?: string;
  /** ms during which an unknown kid does not fetch the JWKS again (jose's default: 30 s) */
  jwksCooldownMs?: number;
}

export type TokenVerifier = (token: string) => Promise<JWTPayload>;

export function createTokenVerifier(key: TokenKey, options: VerifierOptions = {}): TokenVerifier {
  const checks = {
    issuer: options.issuer,
    audience: options.audience,
    clockTolerance: CLOCK_SKEW_SECONDS,
    requiredClaims: ['exp', 'sub'],
  };
  if (key.kind === 'jwks') {
    // jose caches the set and fetches it again when a token names a kid it does not hold
    const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(key.url), {
      timeoutDuration: JWKS_TIMEOUT_MS,
      ...(options.jwksCooldownMs === undefined ? {} : { cooldownDuration: options.jwksCooldownMs }),
    });
    return async (token) => (await jwtVerify(token, keys, { ...checks, algorithms: ASYMMETRIC })).payload;
  }
  const [verifyWith, algorithms] = key.kind === 'secret' ? [key.secret, HMAC] : [key.key, algorithmsOf(key.key)];
  return async (token) => (await jwtVerify(token, verifyWith, { ...checks, algorithms })).payload;
}

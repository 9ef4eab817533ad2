// Tokens for the authentication tests, signed with jose as an identity provider would sign them.
import { SignJWT, type JWTPayload } from 'jose';

export const SECRET = 'a-development-secret-of-at-least-32-bytes';
export const ISSUER = 'https://id.example.com';
export const AUDIENCE = 'process-manager';

/** the environment of a service that verifies tokens signed with SECRET */
export const SECRET_ENV = { AUTH_JWT_SECRET: SECRET, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE };

export interface TokenOptions {
  alg?: string;
  kid?: string;
  key?: Parameters<SignJWT['sign']>[0];
  issuer?: string;
  audience?: string;
  /** seconds from now; null leaves exp out */
  expiresIn?: number | null;
  /** seconds from now */
  notBefore?: number;
}

const now = () => Math.floor(Date.now() / 1000);

export async function token(claims: JWTPayload, options: TokenOptions = {}): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'HS256', ...(options.kid ? { kid: options.kid } : {}) })
    .setIssuedAt()
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE);
  if (options.expiresIn !== null) jwt.setExpirationTime(now() + (options.expiresIn ?? 300));
  if (options.notBefore !== undefined) jwt.setNotBefore(now() + options.notBefore);
  return jwt.sign(options.key ?? new TextEncoder().encode(SECRET));
}

/** an Authorization header for a user with roles, groups and tenants */
export async function bearer(sub: string, claims: { roles?: string[]; groups?: string[]; tenant_ids?: string[] } = {}): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await token({ sub, ...claims })}` };
}

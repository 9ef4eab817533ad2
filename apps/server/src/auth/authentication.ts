// Authentication and authorization of the API's routes, in two request hooks that run before the body is
// read: the bearer token becomes `request.caller`, and the route's declared permission is checked
// against the caller's roles. Every way a token can be wrong is a 401 with WWW-Authenticate, never a 500;
// the refusals are answered in the body of the API the route belongs to (RequestRefusal).
import type { Caller, Engine } from '@dadms/process-engine';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthConfig } from '../config.js';
import { RequestRefusal } from '../http-errors.js';
import { callerFromClaims } from './caller-from-claims.js';
import { isGranted } from './permissions.js';
import { createTokenVerifier } from './token-verifier.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** who sent the request; absent when authentication is off */
    caller?: Caller;
    /**
     * the engine acting for the caller (the unrestricted engine when authentication is off), whose command
     * takes the request's Idempotency-Key
     */
    readonly engine: Engine;
  }
}

/** what the log and /health say when no authentication is configured */
export const OPEN_API = 'No authentication is configured: the API is open to every caller';

const BEARER = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i;

function unauthenticated(reply: FastifyReply, message: string, invalidToken: boolean): never {
  // RFC 6750: a request without a token gets the bare challenge, a bad token names the error
  const challenge = invalidToken ? 'Bearer realm="process-manager", error="invalid_token"' : 'Bearer realm="process-manager"';
  reply.header('www-authenticate', challenge);
  throw new RequestRefusal('UNAUTHENTICATED', message);
}

export function registerAuthentication(api: FastifyInstance, auth: AuthConfig): void {
  api.decorateRequest('caller', undefined);
  api.decorateRequest('engine', {
    getter(this: FastifyRequest): Engine {
      const engine = this.caller ? this.server.engine.as(this.caller) : this.server.engine;
      return this.idempotency ? engine.idempotent(this.idempotency) : engine;
    },
  });

  if (auth.mode === 'jwt') {
    const verify = createTokenVerifier(auth.key, { issuer: auth.issuer, audience: auth.audience });
    api.addHook('onRequest', async (request, reply) => {
      const header = request.headers.authorization;
      if (header === undefined) return unauthenticated(reply, 'This API needs a bearer token (Authorization: Bearer …)', false);
      const token = BEARER.exec(header)?.[1];
      if (!token) return unauthenticated(reply, 'The Authorization header must be "Bearer <token>"', true);
      try {
        request.caller = callerFromClaims(await verify(token), auth.claims);
      } catch (err) {
        // jose's errors, a JWKS that cannot be reached, a claim of the wrong shape: all the token's fault here
        request.log.info({ err }, 'a bearer token was refused');
        return unauthenticated(reply, 'The bearer token is invalid or has expired', true);
      }
    });
  }

  api.addHook('onRequest', async (request) => {
    const permission = request.routeOptions.config.permission;
    if (!permission) {
      request.log.error({ route: request.routeOptions.url }, 'a route of the API declares no permission: refused');
      throw new RequestRefusal('FORBIDDEN', 'This route is not open to any caller');
    }
    if (request.caller && !isGranted(request.caller, permission)) {
      throw new RequestRefusal('FORBIDDEN', `This needs the permission '${permission}', which the caller's roles do not grant`);
    }
  });
}

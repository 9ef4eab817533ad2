import type { FastifyRequest } from 'fastify';

/** Who a command is recorded as done by when the request names nobody and authentication is off. */
const ANONYMOUS = 'anonymous';

/**
 * The user a request names as doing the command (`user_id`, `started_by`, `deployed_by`, `resolved_by`).
 * With authentication on it goes to the engine as named, and the engine, acting for the caller, fills in
 * the caller and refuses another user unless the caller is `admin`. With it off, it is taken as given.
 */
export const actingUser = (request: Pick<FastifyRequest, 'caller'>, named: string | undefined): string | undefined =>
  request.caller ? named : named ?? ANONYMOUS;

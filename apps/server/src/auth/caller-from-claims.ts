// The caller a verified token describes: `sub` is its id; groups, roles and tenant ids come from claims
// whose names are configurable. A claim of the wrong shape makes the token unusable, not an empty list.
import type { Caller } from '@dadms/process-engine';
import type { JWTPayload } from 'jose';

export interface ClaimNames {
  groups: string;
  roles: string;
  tenants: string;
}

export class ClaimError extends Error {}

function stringList(payload: JWTPayload, claim: string): string[] {
  const value = payload[claim];
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new ClaimError(`The token's '${claim}' claim must be an array of strings`);
  return value;
}

export function callerFromClaims(payload: JWTPayload, names: ClaimNames): Caller {
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new ClaimError("The token's 'sub' claim must name the user");
  return {
    user_id: payload.sub,
    groups: stringList(payload, names.groups),
    roles: stringList(payload, names.roles),
    tenant_ids: stringList(payload, names.tenants),
  };
}

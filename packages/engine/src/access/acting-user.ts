// The user a command is recorded as done by, the tenant it writes into and the work it reads, checked
// against the caller.
import { forbidden } from '../errors.js';
import { actsForOthers, readsAllWork, seesTenant, type Caller } from './caller.js';

/**
 * The caller itself unless the input names someone; naming another user is only for those who act for
 * others. Without a caller the named user is taken as given.
 */
export function actingUser(caller: Caller | undefined, named: string, field: string): string;
export function actingUser(caller: Caller | undefined, named: string | undefined, field: string): string | undefined;
export function actingUser(caller: Caller | undefined, named: string | undefined, field: string): string | undefined {
  if (!caller) return named;
  if (named !== undefined && named !== caller.user_id && !actsForOthers(caller)) {
    throw forbidden(`${field} may only name the caller, '${caller.user_id}'`);
  }
  return named ?? caller.user_id;
}

/** A tenant the input asks to write into (or address) must be one of the caller's. */
export function requireTenant(caller: Caller | undefined, tenantId: string | undefined): void {
  if (tenantId !== undefined && !seesTenant(caller, tenantId)) throw forbidden(`The caller may not use tenant '${tenantId}'`);
}

/** Events and other views across instances show everybody's work: a plain user, who sees only its own, may not read them. */
export function requireAllWork(caller: Caller | undefined, doing: string): void {
  if (!readsAllWork(caller)) throw forbidden(`Only a caller who reads all work may ${doing}`);
}

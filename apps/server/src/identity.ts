/** Who a command is recorded as done by when the request names nobody. */
const ANONYMOUS = 'anonymous';

/**
 * The user a command is done for. There is no authentication yet, so it is whoever the body names
 * (`user_id`, `started_by`, `deployed_by`), taken as given; this is where the authenticated caller
 * will be checked against it.
 */
export const actingUser = (named: string | undefined): string => named ?? ANONYMOUS;

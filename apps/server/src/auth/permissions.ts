// The role table of API.md as data: which permission each role grants. Every API route declares the one
// permission it needs (`config: { permission }`); the engine then narrows what the caller reaches within
// it (its tenants, and for a plain user its own tasks and instances).
import type { Caller } from '@dadms/process-engine';

export const PERMISSIONS = [
  'definitions:read', 'definitions:write',
  'instances:start', 'instances:read', 'instances:operate',
  'tasks:read', 'tasks:work',
  'external-tasks:read', 'external-tasks:work',
  'messages:send', 'signals:send',
  'jobs:read', 'jobs:operate',
  'incidents:read', 'incidents:operate',
  'analytics:read', 'events:read',
  // erasing history removes its audit trail too: only an admin may
  'history:erase',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** what every authenticated caller may do: a plain user */
const PLAIN_USER: readonly Permission[] = ['definitions:read', 'instances:start', 'instances:read', 'tasks:read', 'tasks:work'];
const READ_EVERYTHING: readonly Permission[] = ['external-tasks:read', 'jobs:read', 'incidents:read', 'events:read'];

export const GRANTS: Readonly<Record<string, readonly Permission[]>> = {
  admin: PERMISSIONS,
  deployer: ['definitions:write'],
  operator: [...READ_EVERYTHING, 'instances:operate', 'messages:send', 'signals:send', 'jobs:operate', 'incidents:operate'],
  worker: ['external-tasks:read', 'external-tasks:work', 'messages:send'],
  analyst: [...READ_EVERYTHING, 'analytics:read'],
};

export const isGranted = (caller: Caller, permission: Permission): boolean =>
  PLAIN_USER.includes(permission) || caller.roles.some((role) => GRANTS[role]?.includes(permission));

/** A route's config naming the permission it needs. */
export const permit = (permission: Permission): { permission: Permission } => ({ permission });

declare module 'fastify' {
  interface FastifyContextConfig {
    /** what a caller needs to use the route; a route of the API without one refuses everybody */
    permission?: Permission;
  }
}

// The periods the rollup tests compare the rollups and the raw rows over, in March 2026 against NOW
// (2026-03-10 12:00): days up to 2026-03-08 can be rolled up; and the definitions both tests seed.
import type { Kysely } from 'kysely';
import type { Caller } from '../../src/access/caller.js';
import { resolvePeriod, type Period } from '../../src/queries/analytics/period.js';
import type { Database } from '../../src/persistence/database.js';
import { NOW } from './query-database.js';
import * as seed from './seed-rows.js';

export const ts = (text: string) => new Date(`2026-03-${text}:00.000Z`);
export const period = (from: string, to: string, key?: string): Period =>
  resolvePeriod({ from: ts(from).toISOString(), to: ts(to).toISOString(), process_definition_key: key }, NOW);
export const tenantCaller: Caller = { user_id: 'ann', groups: [], roles: ['analyst'], tenant_ids: ['t1'] };

export const PERIODS: [string, Period][] = [
  ['whole days', period('02T00:00', '10T00:00')],
  ['partial days at both ends', period('02T13:30', '10T09:00')],
  ['one process', period('01T06:00', '10T12:00', 'order')],
  ['the default 30 days', resolvePeriod({}, NOW)],
];

/** three processes: `order` of no tenant, `invoice` of the tenant the tenant caller sees, `other` of another */
export async function seedRollupDefinitions(db: Kysely<Database>) {
  return {
    order: await seed.definition(db, { key: 'order', name: 'Order' }),
    invoice: await seed.definition(db, { key: 'invoice', name: 'Invoice', tenant_id: 't1' }),
    other: await seed.definition(db, { key: 'other', name: 'Other', tenant_id: 't2' }),
  };
}

// Deleting instances with everything that belongs to them. The rows of executions, variables, tasks
// (and their identity links), external tasks, subscriptions, jobs, incidents (and their history) and
// activity instances go by their foreign keys' ON DELETE CASCADE; audit and outbox rows have no foreign
// key (they outlive an instance at history level audit, and an event may be written before its
// instance), so they are deleted here by their instance id. The instances an erased instance called,
// down the tree, go with it: they belong to it, and left alone they would name a caller that no longer
// exists. An instance's positioned events are found through their index by instance (migration 0017), those
// not yet positioned among the few that wait for a position.
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../persistence/database.js';

/**
 * Deletes the instances `seed` selects (a query of one column, `id`) and those they called, down the
 * tree, in one statement; answers how many instances went.
 */
export async function eraseInstanceTrees(trx: Transaction<Database>, seed: RawBuilder<unknown>): Promise<number> {
  const { rows } = await sql<{ count: number | string }>`
    WITH RECURSIVE tree (id) AS (
      ${seed}
      UNION
      SELECT called.id FROM process_instances called JOIN tree ON called.super_instance_id = tree.id
    ),
    audit AS (DELETE FROM audit_log WHERE process_instance_id IN (SELECT id FROM tree)),
    positioned_events AS (DELETE FROM outbox WHERE process_instance_id IN (SELECT id FROM tree) AND position IS NOT NULL),
    unpositioned_events AS (DELETE FROM outbox WHERE position IS NULL AND process_instance_id IN (SELECT id FROM tree)),
    erased AS (DELETE FROM process_instances WHERE id IN (SELECT id FROM tree) RETURNING id)
    SELECT count(*) AS count FROM erased`.execute(trx);
  return Number(rows[0]!.count);
}

export const instancesWithIds = (ids: readonly string[]): RawBuilder<unknown> =>
  sql`SELECT id FROM process_instances WHERE id IN (${sql.join(ids)})`;

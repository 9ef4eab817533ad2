import { seesTenant } from '../access/caller.js';
import { notFound } from '../errors.js';
import { isEngineId } from '../util/ids.js';
import type { CommandContext } from './command-context.js';

type Owned = 'tasks' | 'external_tasks' | 'incidents';

/**
 * The instance a task, external task or incident belongs to. A command on one of them is a command on
 * that instance; whether the item is still open is checked again under the instance's lock.
 */
export async function owningInstance(ctx: CommandContext, table: Owned, id: string, what: string): Promise<string> {
  const row = isEngineId(id)
    ? await ctx.db.selectFrom(table as 'tasks').select(['process_instance_id', 'tenant_id']).where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!row?.process_instance_id || !seesTenant(ctx.caller, row.tenant_id)) throw notFound(what, id);
  return row.process_instance_id;
}

// DELETE /instances/{id}/history: an ended instance, the instances it called and everything of theirs,
// erased at once. The root row is locked first, as every command on the tree locks it, so no command
// is under way on the tree meanwhile.
import { sql } from 'kysely';
import { seesTenant } from '../access/caller.js';
import type { CommandContext } from '../commands/command-context.js';
import { inTransaction } from '../commands/run-command.js';
import { conflict, notFound } from '../errors.js';
import { isEngineId } from '../util/ids.js';
import { eraseInstanceTrees, instancesWithIds } from './erase-instances.js';

export async function eraseInstanceHistory(ctx: CommandContext, instanceId: string): Promise<void> {
  if (!isEngineId(instanceId)) throw notFound('Process instance', instanceId);
  await inTransaction(ctx, async (trx) => {
    const rows = await trx.selectFrom('process_instances').select(['id', 'status', 'end_time', 'super_instance_id', 'tenant_id'])
      .where((eb) => eb.or([
        eb('id', '=', instanceId),
        eb('id', '=', eb.selectFrom('process_instances').select('root_instance_id').where('id', '=', instanceId)),
      ]))
      .orderBy(sql`id = ${instanceId}`)
      .forUpdate().execute();
    const instance = rows.find((r) => r.id === instanceId);
    if (!instance || !seesTenant(ctx.caller, instance.tenant_id)) throw notFound('Process instance', instanceId);
    if (instance.end_time === null) throw conflict(`Process instance '${instanceId}' is ${instance.status}: only an ended instance's history can be erased`);
    // a caller that still runs would wait for good on an instance that no longer exists; a root ends after all it called
    if (rows[0]!.end_time === null) {
      throw conflict(`Process instance '${instanceId}' was called by '${instance.super_instance_id}', whose tree still runs: erase it once its root has ended`);
    }
    await eraseInstanceTrees(trx, instancesWithIds([instanceId]));
  }, { key: instanceId, alone: true });
}

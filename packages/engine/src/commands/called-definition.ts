// Which definition a call activity calls, by its binding (Camunda 7's calledElementBinding): the latest
// version, the one deployed with the caller, a version number, or the latest with a version tag. It is
// looked up in the tenant named, else the caller's, where a definition deployed for no tenant serves too.
import { sql, type Transaction } from 'kysely';
import type { InstanceState } from '../execution/instance-state.js';
import type { ProcessCall } from '../execution/instance-calls.js';
import type { Database } from '../persistence/database.js';
import type { StartableDefinition } from './new-instance.js';

/** the definition, or why there is none, in words */
export async function calledDefinition(trx: Transaction<Database>, caller: InstanceState, call: ProcessCall): Promise<StartableDefinition | string> {
  let query = trx.selectFrom('process_definitions').select(['id', 'suspended', 'tenant_id']).where('key', '=', call.processKey);
  const tenant = call.tenantId !== undefined ? call.tenantId : caller.instance.tenant_id;
  if (tenant === null) query = query.where('tenant_id', 'is', null);
  else if (call.tenantId !== undefined) query = query.where('tenant_id', '=', tenant);
  else query = query.where((eb) => eb.or([eb('tenant_id', '=', tenant), eb('tenant_id', 'is', null)]));
  switch (call.binding) {
    case 'version':
      query = query.where('version', '=', call.version ?? -1);
      break;
    case 'versionTag':
      query = query.where('version_tag', '=', call.versionTag ?? '');
      break;
    case 'deployment':
      query = query.where('deployment_id', '=', (eb) => eb.selectFrom('process_definitions').select('deployment_id').where('id', '=', caller.definition.id));
      break;
    case 'latest':
      break;
  }
  const found = await query.orderBy(sql`tenant_id is null`).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return found ?? `The called process '${call.processKey}' is not deployed${describeBinding(call)}${tenant === null ? '' : ` for tenant '${tenant}'`}`;
}

function describeBinding(call: ProcessCall): string {
  switch (call.binding) {
    case 'version':
      return ` in version ${call.version}`;
    case 'versionTag':
      return ` with version tag '${call.versionTag}'`;
    case 'deployment':
      return ' in the deployment of its caller';
    case 'latest':
      return '';
  }
}

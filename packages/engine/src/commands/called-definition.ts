// Which definition a call activity calls: the version its binding takes (definitions/version-binding.ts).
import type { Transaction } from 'kysely';
import { boundVersion, notBound } from '../definitions/version-binding.js';
import type { InstanceState } from '../execution/instance-state.js';
import type { ProcessCall } from '../execution/instance-calls.js';
import type { Database } from '../persistence/database.js';
import type { StartableDefinition } from './new-instance.js';

/** the definition, or why there is none, in words */
export async function calledDefinition(trx: Transaction<Database>, caller: InstanceState, call: ProcessCall): Promise<StartableDefinition | string> {
  const callerTenant = caller.instance.tenant_id;
  const { where, orderBy } = boundVersion(call.processKey, call, { tenantId: callerTenant, definitionId: caller.definition.id });
  const found = await trx.selectFrom('process_definitions').select(['id', 'suspended', 'tenant_id']).where(where).orderBy(orderBy).limit(1).executeTakeFirst();
  return found ?? notBound('The called process', call.processKey, call, callerTenant);
}

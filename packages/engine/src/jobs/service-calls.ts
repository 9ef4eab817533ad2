// What a service job does outside any transaction: the call it stands for. Throwing is a failed
// attempt (retries, then a failedJob incident); a result that cannot be mapped is an incident at once.
import type { JobRow } from '../execution/instance-state.js';
import type { TypedValue } from '../variables/variable-codec.js';

export type ServiceOutcome =
  | { ok: true; variables: Map<string, TypedValue> }
  | { ok: false; message: string };

export interface ServiceCalls {
  /** `cancel` aborts the call: its outcome would no longer be recorded */
  perform(job: JobRow, cancel?: AbortSignal): Promise<ServiceOutcome>;
}

// What one answer of Camunda's history reads of instances and definitions beside its list: an instance's
// details (its activities, delete reason, variables), a definition (its version, its model) and the root of
// a tree of called instances, each read once however many rows need it.
import { isEngineError, type Engine, type ProcessDefinition, type ProcessInstanceDetails } from '@dadms/process-engine';

export interface HistoryReads {
  instance(id: string): Promise<ProcessInstanceDetails>;
  /** the same, undefined when there is no such instance (or none the caller may read), as a query by its id finds nothing */
  instanceIfAny(id: string): Promise<ProcessInstanceDetails | undefined>;
  definition(id: string): Promise<ProcessDefinition>;
  /** the instance at the top of the calls that led to this one; undefined when the caller may not read it */
  root(id: string): Promise<ProcessInstanceDetails | undefined>;
}

export function historyReads(engine: Engine): HistoryReads {
  const instances = new Map<string, Promise<ProcessInstanceDetails>>();
  const definitions = new Map<string, Promise<ProcessDefinition>>();
  const once = <T>(cache: Map<string, Promise<T>>, id: string, read: (id: string) => Promise<T>): Promise<T> => {
    let answer = cache.get(id);
    if (!answer) cache.set(id, (answer = read(id)));
    return answer;
  };
  const instance = (id: string) => once(instances, id, (i) => engine.getInstance(i));
  const instanceIfAny = (id: string) => instance(id).catch((e: unknown) => {
    if (isEngineError(e) && e.code === 'NOT_FOUND') return undefined;
    throw e;
  });
  return {
    instance,
    instanceIfAny,
    definition: (id) => once(definitions, id, (i) => engine.getDefinition(i)),
    async root(id) {
      let current = await instance(id);
      while (current.super_instance_id !== undefined) {
        const above = await instanceIfAny(current.super_instance_id);
        if (!above) return undefined;
        current = above;
      }
      return current;
    },
  };
}

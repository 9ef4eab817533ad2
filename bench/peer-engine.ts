// bpmn-engine, the in-memory BPMN engine for Node, behind the bench's Driver, so that the same scenarios
// (bench/measure.ts) run on it. It keeps nothing: an instance lives in this process's memory while it waits
// at a user task and is let go once it ends; no state, history or audit is written anywhere.
// Each model is parsed once, as a deployment would, and every instance is an Engine of its own on that
// parsed source, as bpmn-engine runs one execution per Engine.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Engine, type BpmnEngineOptions } from 'bpmn-engine';
import type { Driver } from './drivers.js';

type SourceContext = NonNullable<BpmnEngineOptions['sourceContext']>;

/** a user task waiting for its signal, as bpmn-engine's activity.wait hands it over */
interface WaitingTask {
  signal(message?: unknown): void;
}

export interface PeerDriver extends Driver {
  /** bpmn-engine's version */
  version: string;
  /** instances started and instances whose engine emitted `end`, since the driver was made */
  counts(): { started: number; ended: number };
}

/** bpmn-engine running `models`, each started by its process id */
export async function peerDriver(models: readonly { key: string; xml: string }[]): Promise<PeerDriver> {
  const sources = new Map<string, SourceContext>();
  let version = '';
  for (const model of models) {
    const parser = new Engine({ source: model.xml });
    const [definition] = await parser.getDefinitions();
    sources.set(model.key, definition!.context.definitionContext);
    version = (await parser.getState()).engineVersion;
  }
  const waiting = new Map<string, { task: WaitingTask; ending: Promise<void> }>();
  let started = 0;
  let ended = 0;

  return {
    version,
    counts: () => ({ started, ended }),
    start: async (key) => {
      const sourceContext = sources.get(key);
      if (!sourceContext) throw new Error(`bpmn-engine: no model ${key}`);
      const id = randomUUID();
      const engine = new Engine({ sourceContext });
      const ending = new Promise<void>((resolve, reject) => {
        engine.once('end', () => {
          ended += 1;
          resolve();
        });
        engine.once('error', reject);
      });
      const waitingAt = new Promise<WaitingTask>((resolve, reject) => {
        engine.execute({ listener: new EventEmitter().on('activity.wait', resolve) }).catch(reject);
      });
      started += 1;
      const task = await Promise.race([ending.then(() => undefined), waitingAt]);
      if (!task) return { id, status: 'completed' };
      waiting.set(id, { task, ending });
      return { id, status: 'active' };
    },
    // an instance here has at most one user task: the task's id is its instance's
    openTask: async (instanceId) => {
      if (!waiting.has(instanceId)) throw new Error(`bpmn-engine: instance ${instanceId} waits at no task`);
      return instanceId;
    },
    openTasks: async (instanceId) => (waiting.has(instanceId) ? [instanceId] : []),
    complete: async (taskId) => {
      const instance = waiting.get(taskId);
      if (!instance) throw new Error(`bpmn-engine: no open task ${taskId}`);
      waiting.delete(taskId);
      instance.task.signal();
      await instance.ending;
    },
    calledInstance: unsupported,
    claim: unsupported,
    updateVariable: unsupported,
  };
}

async function unsupported(): Promise<never> {
  throw new Error('bpmn-engine is measured on start → end and the user-task cycle only');
}

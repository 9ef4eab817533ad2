// Worker threads that run one of this engine's own modules. The engine runs as TypeScript through tsx in
// development and tests, and as compiled JavaScript otherwise; a worker starts with neither, so its code
// is plain JavaScript that registers tsx when the module is TypeScript, then imports it.
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WorkerModule {
  /** URL of the module to import */
  readonly module: string;
  /** URL of tsx's register API, when the module is TypeScript */
  readonly tsx?: string;
}

/** The module `name` beside `from` (an import.meta.url), in the form this engine runs in. */
export function siblingModule(from: string, name: string): WorkerModule {
  const module = new URL(`./${name}${extname(fileURLToPath(from))}`, from).href;
  return module.endsWith('.ts') ? { module, tsx: import.meta.resolve('tsx/esm/api') } : { module };
}

/** Worker code defining `load()`, which imports the WorkerModule passed as `workerData.load`. */
export const LOAD_MODULE = `
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
async function load() {
  if (workerData.load.tsx) (await import(workerData.load.tsx)).register();
  return import(workerData.load.module);
}`;

// Runs one HTTP load job (bench/http-load.ts) in a child process, so that the clients' work does not share
// the server's event loop, and answers its result.
import { fork } from 'node:child_process';
import type { LoadJob } from './http-load.js';

export function runLoad<T>(job: LoadJob): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./http-load.ts', import.meta.url), [JSON.stringify(job)]);
    const limit = setTimeout(() => child.kill(), (job.warmup.seconds + job.bounds.seconds + 60) * 1000);
    let result: T | undefined;
    child.on('message', (msg) => { result = msg as T; });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(limit);
      if (result !== undefined) resolve(result);
      else reject(new Error(`HTTP load process ended (${signal ?? `exit code ${code}`}) without a result`));
    });
  });
}

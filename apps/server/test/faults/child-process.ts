// The child processes the fault tests start detached (a server, a redis-server), and kill whole.
import type { ChildProcess } from 'node:child_process';

/** a child process that exits when killed: its 'exit' is awaited, so that a pid that is gone is reaped too */
export interface Child {
  process: ChildProcess;
  exited: Promise<void>;
}

export function watch(child: ChildProcess): Child {
  return { process: child, exited: new Promise((resolve) => child.once('exit', () => resolve())) };
}

/** SIGKILL to the child's whole process group (it was spawned detached, as its group's leader) */
export async function killHard(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  try {
    process.kill(-child.process.pid!, 'SIGKILL');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
  await child.exited;
}

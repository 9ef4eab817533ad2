// The CPU time PostgreSQL spends on a database: its backend processes, read from /proc (Linux, with the
// server on this machine). A backend that exits between two readings takes its time with it.
import { postgresClient } from '@dadms/process-engine/testing';
import { cpuMs } from './proc-cpu.js';

/** the CPU ms each backend of the database has used so far, by pid, but the one that asks */
export async function backendsCpu(databaseUrl: string): Promise<Map<number, number>> {
  const sql = await postgresClient(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
    return new Map(rows.map(({ pid }) => [pid, cpuMs(pid)]));
  } finally {
    await sql.end();
  }
}

/** CPU ms used between two readings; a backend that started between them counts from its start */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, cpu] of after) ms += cpu - (before.get(pid) ?? 0);
  return ms;
}

// PGlite as the engine opens it: a new data directory is made (by a child process) and opened, keeps what
// was written across a reopening, and runs with the engine's small shared buffers.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPGlite } from '../../src/persistence/pglite-store.js';

describe('the embedded store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-pglite-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a new data directory, opens it, and finds its rows when opened again', async () => {
    const dataDir = join(dir, 'data');
    const first = await openPGlite(dataDir);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    await first.exec('create table kept (id int primary key); insert into kept values (1), (2)');
    expect((await first.query<{ shared_buffers: string }>('show shared_buffers')).rows[0]!.shared_buffers).toBe('16MB');
    await first.close();
    const again = await openPGlite(dataDir);
    expect((await again.query<{ n: number }>('select count(*)::int as n from kept')).rows[0]!.n).toBe(2);
    await again.close();
  });
});

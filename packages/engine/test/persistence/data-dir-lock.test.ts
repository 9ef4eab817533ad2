// The embedded store's directory lock: one process at a time, and a lock whose holder is gone, even when
// its pid lives on in another process, is taken over.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/persistence/open-database.js';
import { createTestDatabase, type TestDatabase } from '../../src/testing/index.js';

/** Linux tells when a process started; elsewhere the lock falls back to its pid alone */
const PROC = existsSync('/proc/self/stat');

const startOf = (pid: number): string => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]!;
const bootId = (): string => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

describe('the data directory lock', () => {
  let db: TestDatabase;
  let dataDir: string;
  let lock: string;
  let opened: OpenedDatabase[] = [];
  let sleeper: ChildProcess;

  beforeAll(async () => {
    db = await createTestDatabase('pglite', 'engine/data-dir-lock');
    dataDir = db.options.dataDir!;
    lock = `${dataDir}.lock`;
    // a live process that is not this one
    sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    await new Promise((resolve) => sleeper.once('spawn', resolve));
  });

  afterEach(async () => {
    for (const o of opened) await o.close();
    opened = [];
  });

  afterAll(async () => {
    sleeper?.kill('SIGKILL');
    await db?.drop();
  });

  const open = async () => {
    const o = await openDatabase({ dataDir });
    opened.push(o);
    return o;
  };
  const refused = () => expect(openDatabase({ dataDir })).rejects.toThrow(/is in use by another process/);

  it('refuses a second opening while the first holds it, and names its holder', async () => {
    const first = await open();
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid });
    await refused();
    await first.close();
    opened = [];
    expect(existsSync(lock)).toBe(false);
    await open();
  });

  it('takes over a lock whose process is gone', async () => {
    const dead = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => dead.once('exit', resolve));
    writeFileSync(lock, String(dead.pid)); // as older versions wrote it
    await open();
  });

  it('takes over a lock naming this very pid that this process does not hold (a restarted container)', async () => {
    writeFileSync(lock, String(process.pid));
    await (await openDatabase({ dataDir })).close();
    writeFileSync(lock, JSON.stringify({ pid: process.pid, start: '1', boot: 'another boot' }));
    await open();
  });

  it('refuses a lock whose holder lives; takes it over once the pid names a process started at another time', async () => {
    writeFileSync(lock, String(sleeper.pid));
    await refused();
    if (PROC) {
      writeFileSync(lock, JSON.stringify({ pid: sleeper.pid, start: startOf(sleeper.pid!), boot: bootId() }));
      await refused();
      // the pid was reused: the process behind it started after the lock was written
      writeFileSync(lock, JSON.stringify({ pid: sleeper.pid, start: String(Number(startOf(sleeper.pid!)) - 1), boot: bootId() }));
      await open();
    }
  });

  it('leaves an empty lock to the process writing it, and takes over one left empty', async () => {
    writeFileSync(lock, '');
    await refused();
    const past = new Date(Date.now() - 60_000);
    utimesSync(lock, past, past);
    await open();
  });
});

// A connection URL as libpq reads it: the host may be named in the query, `?host=/run/postgresql` for the
// directory of a Unix socket, which postgres.js alone sends to the server as a setting and fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/index.js';
import { libpqHost } from '../../src/persistence/postgres-client.js';
import { createTestDatabase, postgresClient, testBackends, type TestDatabase } from '../../src/testing/index.js';
import { waitingAtUserTask } from '../support/models.js';

describe('a host named in the connection URL\'s query', () => {
  it('is taken out of the URL and given as the host, the rest of the query kept', () => {
    expect(libpqHost('postgres://app:secret@db.internal:6432/orders?host=/run/postgresql&sslmode=disable'))
      .toEqual({ url: 'postgres://app:secret@db.internal:6432/orders?sslmode=disable', host: '/run/postgresql' });
    expect(libpqHost('postgresql://app@db.internal/orders?host=%2Fvar%2Frun%2Fpostgresql'))
      .toEqual({ url: 'postgresql://app@db.internal/orders', host: '/var/run/postgresql' });
    expect(libpqHost('postgres://app@h/orders?host=replica.internal')).toEqual({ url: 'postgres://app@h/orders', host: 'replica.internal' });
  });

  it('may stand for an empty host in the URL, as libpq allows', () => {
    expect(libpqHost('postgres:///orders?host=/tmp')).toEqual({ url: 'postgres://localhost/orders', host: '/tmp' });
    expect(libpqHost('postgres://app@/orders?host=/tmp')).toEqual({ url: 'postgres://app@localhost/orders', host: '/tmp' });
    expect(libpqHost('postgres://app@:5433/orders?host=/tmp')).toEqual({ url: 'postgres://app@localhost:5433/orders', host: '/tmp' });
  });

  it('leaves a URL without one as it is', () => {
    for (const url of ['postgres://app@db.internal/orders', 'postgres://app@db.internal/orders?sslmode=require', 'postgres://app@localhost/host']) {
      expect(libpqHost(url)).toEqual({ url });
    }
    expect(libpqHost('postgres://app@db.internal/orders?host=')).toEqual({ url: 'postgres://app@db.internal/orders' });
  });
});

describe.runIf(testBackends().includes('postgres'))('the engine on PostgreSQL through its Unix socket', () => {
  let database: TestDatabase;
  let socketUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase('postgres', 'persistence/postgres-client');
    const tcp = await postgresClient(database.options.databaseUrl!, { max: 1, onnotice: () => {} });
    try {
      const [{ directories }] = await tcp<[{ directories: string }]>`select current_setting('unix_socket_directories') as directories`;
      const directory = directories.split(',')[0]!.trim();
      expect(directory, 'the server listens on a Unix socket').toMatch(/^\//);
      const url = new URL(database.options.databaseUrl!);
      url.hostname = 'localhost';
      url.searchParams.set('host', directory);
      socketUrl = url.toString();
    } finally {
      await tcp.end();
    }
  });

  afterAll(() => database?.drop());

  it('connects through the socket the URL\'s query names, not over TCP', async () => {
    const client = await postgresClient(socketUrl, { max: 1, onnotice: () => {} });
    try {
      const [row] = await client<[{ address: string | null; database: string }]>`select inet_server_addr()::text as address, current_database() as database`;
      // the server's address is null on a Unix socket only
      expect(row).toEqual({ address: null, database: new URL(database.options.databaseUrl!).pathname.slice(1) });
    } finally {
      await client.end();
    }
  });

  it('runs an instance from start to end with such a URL', async () => {
    const engine = await createEngine({ databaseUrl: socketUrl });
    try {
      await engine.deploy({ bpmn_xml: waitingAtUserTask('over_socket'), name: 'over socket' });
      const started = await engine.startInstance({ process_definition_key: 'over_socket' });
      const [task] = (await engine.listTasks({ process_instance_id: started.id })).data;
      await engine.completeTask(task!.id);
      expect((await engine.getInstance(started.id)).status).toBe('completed');
    } finally {
      await engine.close();
    }
  });
});

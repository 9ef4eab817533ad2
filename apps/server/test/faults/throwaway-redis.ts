// Redis as the fault tests use it: a redis-server of a test's own, which it kills and starts again, the
// shared one it never restarts, and what a Redis stream holds.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { redisAnswers } from '@dadms/process-engine/testing';
import { Redis } from 'ioredis';
import { killHard, watch, type Child } from './child-process.js';

/**
 * A redis-server of the test's own. With no `appendOnlyDir` it keeps nothing: killed, it comes back empty.
 * With one, it writes every change to an append-only file there and, started again, comes back with them.
 */
export class ThrowawayRedis {
  #child: Child | undefined;

  constructor(readonly port: number, private readonly appendOnlyDir?: string) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const persistence = this.appendOnlyDir ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.appendOnlyDir] : ['--appendonly', 'no'];
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence], {
      detached: true,
      stdio: 'ignore',
    });
    this.#child = watch(child);
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} (port ${this.port} taken?)`);
      if (await this.ping()) return;
      if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not answer`);
      await sleep(50);
    }
  }

  async kill(): Promise<void> {
    if (this.#child) await killHard(this.#child);
  }

  /** the number of keys it holds */
  size(): Promise<number> {
    return this.#ask((redis) => redis.dbsize());
  }

  /**
   * The keys it loaded from disk when it started. Its clients may write again at once, so this, not its
   * size, tells that it came back with nothing.
   */
  async keysRestored(): Promise<number> {
    const info = await this.#ask((redis) => redis.info('persistence'));
    const loaded = /^rdb_last_load_keys_loaded:(\d+)/m.exec(info);
    if (!loaded) throw new Error('redis-server did not say how many keys it loaded');
    return Number(loaded[1]);
  }

  async #ask<T>(question: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await redis.connect();
      return await question(redis);
    } finally {
      redis.disconnect();
    }
  }

  ping(): Promise<boolean> {
    return redisAnswers(this.url);
  }
}

/** the shared Redis the suite may use, but never restart */
export const SHARED_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** the event ids in a Redis stream, in the order they were added (a duplicate as often as it came) */
export async function streamEventIds(redisUrl: string, key: string): Promise<string[]> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await redis.connect();
    return (await redis.xrange(key, '-', '+')).map(([, fields]) => fields[fields.indexOf('id') + 1]!);
  } finally {
    redis.disconnect();
  }
}

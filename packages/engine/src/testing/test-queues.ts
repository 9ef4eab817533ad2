// BullMQ queues of tests and benchmarks live under a key prefix of their own in a shared Redis; this
// removes them afterwards, as a test database is dropped.
import type { RedisOptions } from 'ioredis';
import { importPeer } from '../util/peer-dependency.js';

/** Removes every key under `prefix` (a queue's `JobExecutorOptions.queuePrefix`) from the Redis at `redisUrl`. */
export async function dropQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = await redisClient(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => {});
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Whether a Redis answers at `redisUrl` within two seconds. */
export async function redisAnswers(redisUrl: string): Promise<boolean> {
  const redis = await redisClient(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

const redisClient = async (url: string, options: RedisOptions) => new (await importPeer<typeof import('ioredis')>('ioredis')).Redis(url, options);

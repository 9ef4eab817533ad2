// Where a test watches events arrive: an Event Manager (a real HTTP server that answers what the test
// says and keeps what it acknowledged), a Redis stream, and an engine's subscription.
import { Redis } from 'ioredis';
import type { Engine, PublishedEvent } from '../../src/index.js';
import { httpService } from './http-service.js';

export const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** events reach the sinks soon after their commit; on a busy machine that may take seconds */
export const eventually = { timeout: 60_000, interval: 50 };

export interface EventManager {
  url: string;
  /** events of the batches it acknowledged, in the order they came */
  acknowledged: PublishedEvent[];
  /** batches it refused */
  refused: number;
  /** whether it acknowledges (200) or refuses (503) what comes next */
  up: boolean;
  /** refuses this many batches, then acknowledges */
  refuseNext(count: number): void;
}

/** an Event Manager, started before the block's tests and stopped after them */
export function eventManager(): () => EventManager {
  const service = httpService();
  let toRefuse = 0;
  const manager = {
    acknowledged: [] as PublishedEvent[], refused: 0, up: true,
    get url() { return service.url('/events'); },
    refuseNext(count: number) { toRefuse = count; },
  };
  service.answer = (request) => {
    if (!manager.up || toRefuse > 0) {
      toRefuse -= 1;
      manager.refused += 1;
      return { status: 503 };
    }
    manager.acknowledged.push(...(JSON.parse(request.body) as PublishedEvent[]));
    return { status: 200 };
  };
  return () => manager;
}

/** the events of a Redis stream, oldest first */
export async function streamEvents(redisUrl: string, key: string): Promise<PublishedEvent[]> {
  const redis = new Redis(redisUrl);
  try {
    const entries = await redis.xrange(key, '-', '+');
    return entries.map(([, fields]) => JSON.parse(fields[fields.indexOf('data') + 1]!) as PublishedEvent);
  } finally {
    redis.disconnect();
  }
}

/** every event the engine publishes from now on, in the order it hands them over */
export function subscription(engine: Engine): { events: PublishedEvent[]; stop(): void } {
  const events: PublishedEvent[] = [];
  const stop = engine.subscribeEvents((batch) => events.push(...batch));
  return { events, stop };
}

/** every kept event, page by page */
export async function allEvents(engine: Engine): Promise<PublishedEvent[]> {
  const events: PublishedEvent[] = [];
  for (;;) {
    const page = await engine.listEvents({ after: events.at(-1)?.id, limit: 1000 });
    events.push(...page.data);
    if (page.data.length < 1000) return events;
  }
}

/** how many events arrived more than once */
export const duplicates = (events: PublishedEvent[]): number => events.length - new Set(events.map((e) => e.id)).size;

/** ids in order of arrival, first arrivals only */
export const firstArrivals = (events: PublishedEvent[]): string[] => [...new Set(events.map((e) => e.id))];

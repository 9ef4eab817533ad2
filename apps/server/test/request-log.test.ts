// Requests are logged at debug, not at the service's usual info level.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { DebugRequestLog } from '../src/request-log.js';

/** the lines a GET logs at `level` that name its request */
async function logOf(level: string): Promise<{ level: number; msg: string; reqId: string }[]> {
  const lines: string[] = [];
  const app = Fastify({ logger: { level, stream: { write: (line: string) => lines.push(line) } }, logController: new DebugRequestLog() });
  app.get('/thing', async () => ({ ok: true }));
  try {
    expect((await app.inject({ method: 'GET', url: '/thing' })).json()).toEqual({ ok: true });
  } finally {
    await app.close();
  }
  return lines.map((line) => JSON.parse(line)).filter((entry) => entry.reqId !== undefined);
}

describe('request logging', () => {
  it('writes no line per request at info', async () => {
    expect(await logOf('info')).toEqual([]);
  });

  it('writes the arrival and the answer of each request at debug, with its request id', async () => {
    const entries = await logOf('debug');
    expect(entries.map((e) => [e.level, e.msg])).toEqual([[20, 'incoming request'], [20, 'request completed']]);
    expect(new Set(entries.map((e) => e.reqId)).size).toBe(1);
  });
});

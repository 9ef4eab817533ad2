// Which of the server processes on a port answers: with CLUSTER_WORKERS, the port hands each new connection
// to one worker in turn, and /health names the process that answered.
import { get } from 'node:http';
import { waitUntil } from './harness.js';

export interface Answered {
  status: number;
  pid: number;
  worker: number | null;
}

/** GET /health on a connection of its own */
export const healthOnNewConnection = (url: string): Promise<Answered> => new Promise((resolve, reject) => {
  const request = get(`${url}/health`, { agent: false, timeout: 5_000 }, (res) => {
    let body = '';
    res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => {
      try {
        const health = JSON.parse(body) as { process: { pid: number; cluster_worker: number | null } };
        resolve({ status: res.statusCode!, pid: health.process.pid, worker: health.process.cluster_worker });
      } catch (e) {
        reject(e);
      }
    });
  });
  request.on('timeout', () => request.destroy(new Error('no answer within 5 s')));
  request.on('error', reject);
});

/** the processes seen answering 200 on new connections (pid → worker number), once `count` distinct ones have */
export async function workersAnswering(url: string, count: number, timeoutMs = 90_000): Promise<Map<number, number | null>> {
  const seen = new Map<number, number | null>();
  await waitUntil(`${count} workers answering`, async () => {
    const answer = await healthOnNewConnection(url);
    if (answer.status === 200) seen.set(answer.pid, answer.worker);
    return seen.size >= count;
  }, timeoutMs, 50);
  return seen;
}

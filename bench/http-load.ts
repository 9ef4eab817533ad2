// The HTTP load generator, run by bench/run.ts in a child process so that the clients' work does not share
// the server's event loop. Takes one job as JSON in argv[2] and sends back one result over IPC, having said
// when its measured part begins.
import { httpDriver } from './drivers.js';
import { MEASURING } from './load-process.js';
import { latency, scenario, throughput, type Bounds, type ScenarioName } from './measure.js';

export type LoadJob =
  | { kind: 'throughput'; baseUrl: string; scenario: ScenarioName; concurrency: number; warmup: Bounds; bounds: Bounds }
  | { kind: 'latency'; baseUrl: string; cyclesPerSecond: number; warmup: Bounds; bounds: Bounds };

const job = JSON.parse(process.argv[2] ?? '') as LoadJob;
const driver = httpDriver(job.baseUrl);

let result: unknown;
if (job.kind === 'throughput') {
  const once = scenario(job.scenario, driver);
  await throughput(once, job.concurrency, job.warmup);
  process.send!(MEASURING);
  result = await throughput(once, job.concurrency, job.bounds);
} else {
  await latency(driver, job.cyclesPerSecond, job.warmup);
  process.send!(MEASURING);
  result = await latency(driver, job.cyclesPerSecond, job.bounds);
}
// The IPC channel would keep this process alive; let go of it once the result is out.
process.send!(result, () => process.disconnect());

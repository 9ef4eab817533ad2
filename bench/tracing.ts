// What the engine's instrumentation costs (`npm run bench -- tracing`): start → end over HTTP, the load
// from a child process, in three modes taking turns, each run on a fresh database:
// - bare: an engine given no observer (no engine metrics), tracing off;
// - off: as the server runs by default, the engine's metrics on and tracing off (spans are the API's no-ops);
// - on: tracing on too, every span exported over OTLP/HTTP to a local receiver that accepts and drops them.
// On a shared machine the rates differ by more than the instrumentation costs; the server's CPU time per
// instance is steadier. The time instrumentation adds to one command with tracing off is also measured
// alone, on a command that does nothing.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Engine } from '@dadms/process-engine';
import { Registry } from 'prom-client';
import { createTestDatabase, type BackendName } from '@dadms/process-engine/testing';
import { engineObserver } from '../apps/server/src/metrics/engine-observer.js';
import { startTracing } from '../apps/server/src/tracing.js';
import { instrumentCommands } from '../packages/engine/src/observability/instrumented-commands.js';
import { startServer } from './in-process-server.js';
import { runLoad } from './load-process.js';
import type { Bounds, ThroughputResult } from './measure.js';

export type TracingMode = 'bare' | 'off' | 'on';

export interface TracingCostRow {
  backend: BackendName;
  mode: TracingMode;
  perSecond: number[];
  /** the server's CPU time (the bench process: server and OTLP receiver) per instance started */
  cpuMsPerInstance: number[];
}

export interface TracingBenchSettings {
  concurrency: number;
  warmup: Bounds;
  bounds: Bounds;
  rounds: number;
}

export const tracingModes: Record<TracingMode, string> = {
  bare: 'no engine metrics, tracing off',
  off: 'engine metrics, tracing off (the default)',
  on: 'engine metrics, tracing on (OTLP/HTTP)',
};

export async function benchTracingCost(backend: BackendName, settings: TracingBenchSettings): Promise<TracingCostRow[]> {
  const receiver = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const rows: TracingCostRow[] = (['bare', 'off', 'on'] as const).map((mode) => ({ backend, mode, perSecond: [], cpuMsPerInstance: [] }));
  try {
    for (let round = 0; round < settings.rounds; round++) {
      for (const row of rows) {
        const db = await createTestDatabase(backend, 'bench-tracing');
        // the SDK reads its settings from the environment, as the server's would
        if (row.mode === 'on') process.env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint;
        else delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
        const stopTracing = await startTracing();
        const { app, baseUrl } = await startServer(db.options, { engineMetrics: row.mode !== 'bare' });
        try {
          const cpuBefore = process.cpuUsage();
          const result = await runLoad<ThroughputResult>({
            kind: 'throughput', baseUrl, scenario: 'start-end', concurrency: settings.concurrency, warmup: settings.warmup, bounds: settings.bounds,
          });
          const cpu = process.cpuUsage(cpuBefore);
          // warm-up included: every instance the server started in that time
          const started = (await app.engine.listInstances({ limit: 1 })).total;
          row.perSecond.push(result.perSecond);
          row.cpuMsPerInstance.push((cpu.user + cpu.system) / 1000 / started);
          console.log(`  ${backend} HTTP start → end, ${tracingModes[row.mode]}: ${result.perSecond.toFixed(0)}/s, `
            + `${row.cpuMsPerInstance.at(-1)!.toFixed(2)} ms of the server's CPU per instance`);
        } finally {
          await app.close();
          await stopTracing();
          delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
          await db.drop();
        }
      }
    }
  } finally {
    receiver.close();
  }
  return rows;
}

const OVERHEAD_CALLS = 200_000;

/**
 * ns per call of a command that does nothing: as it is, wrapped as the engine wraps its commands with no
 * observer (the no-op span alone), and with the server's Prometheus observer too (tracing off)
 */
export async function instrumentationOverhead(): Promise<{ bareNs: number; tracedNs: number; instrumentedNs: number }> {
  const command = { startInstance: async () => undefined } as unknown as Engine;
  const traced = instrumentCommands(command, {});
  const instrumented = instrumentCommands(command, engineObserver(new Registry()));
  const perCall = async (engine: Engine) => {
    const input = { process_definition_key: 'none' };
    const started = performance.now();
    for (let i = 0; i < OVERHEAD_CALLS; i++) await engine.startInstance(input);
    return ((performance.now() - started) * 1e6) / OVERHEAD_CALLS;
  };
  // after a warm-up run, the faster of two: the one the machine's other work disturbed least
  const fastest = async (engine: Engine) => {
    await perCall(engine);
    return Math.min(await perCall(engine), await perCall(engine));
  };
  return { bareNs: await fastest(command), tracedNs: await fastest(traced), instrumentedNs: await fastest(instrumented) };
}

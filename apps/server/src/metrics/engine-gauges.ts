// Gauges of the engine's state as a whole, read from the database when Prometheus scrapes: one read
// serves every gauge of a scrape, and scrapes closer together than CACHE_MS share it. Every server
// process on one database reports the same values.
import type { EngineGauges } from '@dadms/process-engine';
import { Gauge, type Registry } from 'prom-client';

const CACHE_MS = 2_000;

type Scalar = 'active_instances' | 'open_tasks' | 'jobs_due' | 'jobs_running' | 'jobs_failed';

const SCALARS: Record<Scalar, string> = {
  active_instances: 'Process instances running or suspended',
  open_tasks: 'User tasks open (created or assigned)',
  jobs_due: 'Jobs due now that no worker holds',
  jobs_running: 'Service calls under way: jobs locked by a worker',
  jobs_failed: 'Jobs with no retries left, each holding an incident',
};

/**
 * `read` answers the engine's gauges, or undefined while there is no engine to ask (it is starting);
 * a read that fails leaves the gauges without values for that scrape rather than showing stale ones.
 */
export function registerEngineGauges(registry: Registry, read: () => Promise<EngineGauges | undefined>, onError: (error: unknown) => void): void {
  let cached: { at: number; gauges: Promise<EngineGauges | undefined> } | undefined;
  const current = (): Promise<EngineGauges | undefined> => {
    if (!cached || Date.now() - cached.at > CACHE_MS) {
      cached = {
        at: Date.now(),
        gauges: read().catch((e: unknown) => {
          onError(e);
          return undefined;
        }),
      };
    }
    return cached.gauges;
  };

  for (const [field, help] of Object.entries(SCALARS) as [Scalar, string][]) {
    new Gauge({
      name: `process_engine_${field}`, help, registers: [registry],
      async collect() {
        const gauges = await current();
        if (gauges) this.set(gauges[field]);
        else this.reset();
      },
    });
  }
  labelled(registry, 'process_engine_open_incidents', 'Incidents open, by incident type', 'incident_type', current, (g) => g.open_incidents);
  labelled(registry, 'process_engine_outbox_backlog', 'Events committed and not yet delivered, by event sink', 'sink', current,
    (g) => Object.fromEntries(Object.entries(g.outbox).map(([sink, backlog]) => [sink, backlog.waiting])));
  labelled(registry, 'process_engine_outbox_lag_seconds', 'Age of the oldest event not yet delivered, by event sink (0 when none waits)', 'sink', current,
    (g) => Object.fromEntries(Object.entries(g.outbox).map(([sink, backlog]) => [sink, backlog.lag_seconds])));
}

/** a gauge with one label; a label value seen once stays, at 0, when it is gone from the figures */
function labelled(
  registry: Registry, name: string, help: string, label: string,
  current: () => Promise<EngineGauges | undefined>, values: (gauges: EngineGauges) => Record<string, number>,
): void {
  const seen = new Set<string>();
  new Gauge({
    name, help, labelNames: [label], registers: [registry],
    async collect() {
      const gauges = await current();
      if (!gauges) {
        this.reset();
        seen.clear();
        return;
      }
      const now = values(gauges);
      for (const value of Object.keys(now)) seen.add(value);
      for (const value of seen) this.set({ [label]: value }, now[value] ?? 0);
    },
  });
}

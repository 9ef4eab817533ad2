// GET /metrics holds to the README's table of the engine's metrics, every name with its type and labels,
// and no engine metric outside it; its values follow the instances, tasks, jobs and incidents as they
// run: on PGlite with the in-process dispatcher, and on PostgreSQL with BullMQ and the Redis event stream.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dropQueueKeys, testBackends } from '@dadms/process-engine/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { httpCallModel, userTaskModel } from './models.js';
import { call, startTestApp, type TestApp } from './support.js';

const README = new URL('../../../README.md', import.meta.url);
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const eventually = { timeout: 60_000, interval: 100 };

interface Documented {
  type: string;
  labels: string[];
}

/** the README's table of engine metrics: name → type and labels */
function documentedMetrics(): Map<string, Documented> {
  const rows = [...readFileSync(README, 'utf8').matchAll(/^\| `(process_engine_\w+)` \| (\w+) \| ([^|]*) \|/gm)];
  return new Map(rows.map(([, name, type, labels]) => [name!, {
    type: type!, labels: labels!.trim() === '—' ? [] : labels!.split(',').map((l) => l.trim().replace(/`/g, '')),
  }]));
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Scrape {
  types: Map<string, string>;
  samples: Sample[];
}

/** the Prometheus text format, as far as prom-client writes it */
function parse(text: string): Scrape {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) continue;
    const labels = Object.fromEntries([...(sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k!, v!]));
    samples.push({ name: sample[1]!, labels, value: Number(sample[3]) });
  }
  return { types, samples };
}

/** the sum of the samples of a series whose labels include `labels` (0 when there is none) */
const valueOf = (scrape: Scrape, name: string, labels: Record<string, string> = {}): number => scrape.samples
  .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
  .reduce((sum, s) => sum + s.value, 0);

const has = (scrape: Scrape, name: string, labels: Record<string, string> = {}): boolean =>
  scrape.samples.some((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

/** start → an HTTP connector call that always fails, two attempts (R2/PT0.1S) → end */
const failingCallModel = (key: string, url: string) =>
  httpCallModel(key, url, { extensions: '\n        <camunda:failedJobRetryTimeCycle>R2/PT0.1S</camunda:failedJobRetryTimeCycle>' });

/**
 * Holds the documented labels to every sample of each documented metric; with `everyLabelled`, each labelled
 * metric must have a sample to check (the outbox's only where a sink is configured).
 */
function expectDocumentedLabels(scrape: Scrape, { everyLabelled, sinks }: { everyLabelled: boolean; sinks: boolean }) {
  for (const [name, { type, labels }] of documentedMetrics()) {
    const own = scrape.samples.filter((s) => s.name === name || (type === 'histogram' && s.name.startsWith(`${name}_`)));
    if (everyLabelled && labels.length && (sinks || !name.startsWith('process_engine_outbox_'))) expect(own.length, name).toBeGreaterThan(0);
    for (const sample of own) expect(Object.keys(sample.labels).filter((l) => l !== 'le').sort(), sample.name).toEqual([...labels].sort());
  }
}

for (const backend of testBackends()) {
  describe(`GET /metrics on ${backend}${backend === 'postgres' ? ' with Redis' : ''}`, () => {
    let t: TestApp;
    let failing: Server;
    let failingUrl: string;
    const queuePrefix = `pm-metrics-${randomUUID().slice(0, 8)}`;
    const streamKey = `${queuePrefix}:events`;

    beforeAll(async () => {
      failing = createServer((_req, res) => res.writeHead(500).end('down'));
      await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
      failingUrl = `http://127.0.0.1:${(failing.address() as AddressInfo).port}/fail`;
      const redis = backend === 'postgres' ? { redisUrl: REDIS_URL, jobs: { queuePrefix, sweepIntervalMs: 250 }, events: { redisStreamKey: streamKey } } : {};
      t = await startTestApp(backend, 'metrics', { httpConnector: { allowedUrls: [failingUrl] }, ...redis }, backend === 'postgres' ? { REDIS_URL } : {});
    });

    afterAll(async () => {
      await t?.close();
      failing?.closeAllConnections();
      await new Promise((resolve) => failing?.close(resolve));
      if (backend === 'postgres') await dropQueueKeys(REDIS_URL, queuePrefix);
    });

    const scrape = async (): Promise<Scrape> => {
      const res = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      return parse(res.body);
    };

    it('exposes every documented engine metric with its type and labels, and none that is not documented', async () => {
      const documented = documentedMetrics();
      expect(documented.size).toBeGreaterThanOrEqual(17);
      // a command gives the command metrics a sample; the labels of the rest are checked once they have one, below
      await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('metrics_labels') });
      const { types, samples } = await scrape();
      const exposed = [...types.keys()].filter((name) => name.startsWith('process_engine_')).sort();
      expect(exposed).toEqual([...documented.keys()].sort());
      for (const [name, { type }] of documented) expect(types.get(name), name).toBe(type);
      expectDocumentedLabels({ types, samples }, { everyLabelled: false, sinks: backend === 'postgres' });
      expect(has({ types, samples }, 'process_engine_command_duration_seconds_count', { command: 'deploy', outcome: 'ok' })).toBe(true);
      expect(has({ types, samples }, 'process_engine_active_instances')).toBe(true);
    });

    it('counts instances, tasks, commands, job runs and incidents as they happen', async () => {
      const before = await scrape();
      await call(t.app, 'POST', '/definitions', { bpmn_xml: userTaskModel('metrics_tasks') });
      await call(t.app, 'POST', '/definitions', { bpmn_xml: failingCallModel('metrics_fail', failingUrl) });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await call(t.app, 'POST', '/instances', { process_definition_key: 'metrics_tasks' });
        expect(res.statusCode).toBe(201);
        ids.push(res.json().id);
      }
      const tasks = (await call(t.app, 'GET', `/tasks?process_instance_id=${ids[0]}`)).json().data as { id: string }[];
      expect((await call(t.app, 'POST', `/tasks/${tasks[0]!.id}/complete`, {})).statusCode).toBe(200);
      expect((await call(t.app, 'DELETE', `/instances/${ids[1]}`)).statusCode).toBe(204);
      const failingInstance = (await call(t.app, 'POST', '/instances', { process_definition_key: 'metrics_fail' })).json().id as string;
      await vi.waitFor(async () => {
        expect((await call(t.app, 'GET', `/incidents?process_instance_id=${failingInstance}`)).json().total).toBe(1);
      }, eventually);

      const changed = (after: Scrape, name: string, labels: Record<string, string> = {}) => valueOf(after, name, labels) - valueOf(before, name, labels);
      // the gauges are read at most every 2 s: wait for a read after the incident
      await vi.waitFor(async () => expect(valueOf(await scrape(), 'process_engine_jobs_failed')).toBe(1), eventually);
      const after = await scrape();
      expect(changed(after, 'process_engine_instances_started_total', { process_key: 'metrics_tasks' })).toBe(3);
      expect(changed(after, 'process_engine_instances_started_total', { process_key: 'metrics_fail' })).toBe(1);
      expect(changed(after, 'process_engine_instances_completed_total', { process_key: 'metrics_tasks' })).toBe(1);
      expect(changed(after, 'process_engine_instances_terminated_total', { process_key: 'metrics_tasks' })).toBe(1);
      expect(changed(after, 'process_engine_incidents_opened_total', { incident_type: 'failedJob' })).toBe(1);
      expect(changed(after, 'process_engine_command_duration_seconds_count', { command: 'start_instance', outcome: 'ok' })).toBe(4);
      expect(changed(after, 'process_engine_command_duration_seconds_count', { command: 'complete_task', outcome: 'ok' })).toBe(1);
      expect(changed(after, 'process_engine_command_duration_seconds_count', { command: 'terminate_instance', outcome: 'ok' })).toBe(1);
      expect(changed(after, 'process_engine_command_duration_seconds_count', { command: 'deploy', outcome: 'ok' })).toBe(2);
      expect(changed(after, 'process_engine_command_duration_seconds_sum')).toBeGreaterThan(0);
      // the commands' transactions, and those of the job runs' results
      expect(changed(after, 'process_engine_transaction_commands_count')).toBeGreaterThanOrEqual(8);
      expect(changed(after, 'process_engine_transaction_commands_sum')).toBeGreaterThanOrEqual(changed(after, 'process_engine_transaction_commands_count'));
      expect(changed(after, 'process_engine_job_runs_total', { type: 'service', outcome: 'retried' })).toBe(1);
      expect(changed(after, 'process_engine_job_runs_total', { type: 'service', outcome: 'failed' })).toBe(1);
      expect(changed(after, 'process_engine_job_lateness_seconds_count', { type: 'service' })).toBe(2);
      expect(changed(after, 'process_engine_job_duration_seconds_count', { type: 'service' })).toBe(2);
      // one instance waits at its task, one holds the incident
      expect(valueOf(after, 'process_engine_active_instances')).toBe(2);
      expect(valueOf(after, 'process_engine_open_tasks')).toBe(1);
      expect(valueOf(after, 'process_engine_open_incidents', { incident_type: 'failedJob' })).toBe(1);
      expect(valueOf(after, 'process_engine_jobs_due')).toBe(0);
      expect(valueOf(after, 'process_engine_jobs_running')).toBe(0);
      expectDocumentedLabels(after, { everyLabelled: true, sinks: backend === 'postgres' });

      // the instance holding the incident terminated: its job and incident go, and the gauges follow
      expect((await call(t.app, 'DELETE', `/instances/${failingInstance}`)).statusCode).toBe(204);
      await vi.waitFor(async () => {
        const later = await scrape();
        expect(valueOf(later, 'process_engine_jobs_failed')).toBe(0);
        expect(valueOf(later, 'process_engine_active_instances')).toBe(1);
        expect(valueOf(later, 'process_engine_open_incidents', { incident_type: 'failedJob' })).toBe(0);
      }, eventually);
    });

    if (backend === 'postgres') {
      it('shows the Redis stream sink\'s backlog, drained, and its lag', async () => {
        await call(t.app, 'POST', '/instances', { process_definition_key: 'metrics_tasks' });
        await vi.waitFor(async () => {
          const now = await scrape();
          expect(has(now, 'process_engine_outbox_backlog', { sink: 'redis' })).toBe(true);
          expect(valueOf(now, 'process_engine_outbox_backlog', { sink: 'redis' })).toBe(0);
          expect(valueOf(now, 'process_engine_outbox_lag_seconds', { sink: 'redis' })).toBe(0);
        }, eventually);
      });
    }
  });
}

// The engine's observer bound to Prometheus: counters and histograms of what this process's engine does.
// Labels stay few: process keys, command names, job types, incident types — never an instance's id.
import type { EngineObserver } from '@dadms/process-engine';
import { Counter, Histogram, type Registry } from 'prom-client';

const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LATENESS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64];

/** the instance events counted, by the counter's name */
const INSTANCE_EVENTS = {
  'process_manager.instance.started': 'started',
  'process_manager.instance.completed': 'completed',
  'process_manager.instance.terminated': 'terminated',
} as const;

export function engineObserver(registry: Registry): EngineObserver {
  const registers = [registry];
  const instances = Object.fromEntries((['started', 'completed', 'terminated'] as const).map((what) => [what, new Counter({
    name: `process_engine_instances_${what}_total`,
    help: `Process instances ${what}, by process definition key`,
    labelNames: ['process_key'] as const,
    registers,
  })])) as Record<'started' | 'completed' | 'terminated', Counter<'process_key'>>;
  const incidents = new Counter({
    name: 'process_engine_incidents_opened_total', help: 'Incidents opened, by incident type', labelNames: ['incident_type'] as const, registers,
  });
  const commands = new Histogram({
    name: 'process_engine_command_duration_seconds',
    help: 'Duration of engine commands (one call of a method that changes state), by command and outcome',
    labelNames: ['command', 'outcome'] as const, buckets: DURATION_BUCKETS, registers,
  });
  const batches = new Histogram({
    name: 'process_engine_transaction_commands',
    help: 'Commands per database transaction (group commit: commands that queue share one)',
    buckets: BATCH_BUCKETS, registers,
  });
  const jobRuns = new Counter({
    name: 'process_engine_job_runs_total',
    help: 'Job runs by job type and outcome: completed, retried (failed with retries left), failed (no retries left: an incident)',
    labelNames: ['type', 'outcome'] as const, registers,
  });
  const lateness = new Histogram({
    name: 'process_engine_job_lateness_seconds', help: 'How long after its due time a job run began, by job type',
    labelNames: ['type'] as const, buckets: LATENESS_BUCKETS, registers,
  });
  const jobDuration = new Histogram({
    name: 'process_engine_job_duration_seconds', help: 'Duration of job runs, by job type',
    labelNames: ['type'] as const, buckets: DURATION_BUCKETS, registers,
  });

  return {
    command: (name, seconds, failed) => commands.observe({ command: name, outcome: failed ? 'error' : 'ok' }, seconds),
    transaction: (size) => batches.observe(size),
    eventsCommitted(events) {
      for (const event of events) {
        const instance = INSTANCE_EVENTS[event.type as keyof typeof INSTANCE_EVENTS];
        if (instance) instances[instance].inc({ process_key: event.process_definition_key ?? '' });
        else if (event.incident_type !== undefined) incidents.inc({ incident_type: event.incident_type });
      }
    },
    jobRan(run) {
      jobRuns.inc({ type: run.type, outcome: run.outcome });
      lateness.observe({ type: run.type }, run.late_seconds);
      jobDuration.observe({ type: run.type }, run.seconds);
    },
  };
}

// The engine's options from the service's configuration: kept apart from server.ts, which starts the
// service on import, so that tests can check what reaches the engine.
import type { EngineObserver, EngineOptions } from '@dadms/process-engine';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';

export const engineOptions = (config: Config, log: FastifyBaseLogger, observer?: EngineObserver): EngineOptions => ({
  databaseUrl: config.storage.databaseUrl,
  dataDir: config.storage.databaseUrl ? undefined : config.storage.pgliteDir,
  poolSize: config.storage.poolSize,
  historyLevel: config.historyLevel,
  redisUrl: config.redisUrl,
  groupCommit: config.groupCommit,
  jobs: config.jobs,
  events: {
    eventManagerUrl: config.events.eventManagerUrl,
    redisStreamKey: config.events.streamKey,
    redisStreamMaxLength: config.events.streamMaxLength,
    retentionHours: config.events.retentionHours,
    performanceEvents: config.events.performanceMonitoring,
  },
  maxStepsPerCommand: config.limits.maxStepsPerCommand,
  maxBpmnBytes: config.limits.deployBodyBytes,
  variableProtection: config.variableProtection,
  retention: config.retention,
  httpConnector: { allowedUrls: config.connector.allowedUrls },
  logger: log,
  observer,
});

// buildApp assembles the service without listening, so tests drive it with app.inject(). Routes answer
// at once; the engine starts in the background and the API answers 503 until it is ready.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Engine, EngineObserver } from '@dadms/process-engine';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { OPEN_API, registerAuthentication } from './auth/authentication.js';
import type { Config } from './config.js';
import { engineObserver } from './metrics/engine-observer.js';
import { registerEngine, requireEngine } from './plugins/engine.js';
import type { StreamLimits } from './routes/events/event-stream.js';
import { answerFrameworkError, registerErrorHandling } from './plugins/errors.js';
import { registerIdempotency } from './plugins/idempotency.js';
import type { AnswerWait } from './plugins/idempotent-answer.js';
import { registerJsonBodyParser } from './plugins/json-body.js';
import { registerMetrics } from './plugins/metrics.js';
import { registerNulCharacterCheck } from './plugins/nul-characters.js';
import { registerOpenApi } from './plugins/openapi.js';
import { registerTracing } from './plugins/tracing.js';
import { registerWebUi } from './plugins/web-ui.js';
import { DebugRequestLog } from './request-log.js';
import { analyticsRoutes } from './routes/analytics/index.js';
import { conditionRoutes } from './routes/conditions/index.js';
import { decisionInstanceRoutes } from './routes/decisions/decision-instances.js';
import { decisionRoutes } from './routes/decisions/index.js';
import { ENGINE_REST_PREFIX, engineRestRoutes } from './routes/engine-rest/index.js';
import { definitionRoutes } from './routes/definitions/index.js';
import { eventRoutes } from './routes/events/index.js';
import { externalTaskRoutes } from './routes/external-tasks/index.js';
import { healthRoutes } from './routes/health/index.js';
import { incidentRoutes } from './routes/incidents/index.js';
import { instanceRoutes } from './routes/instances/index.js';
import { jobRoutes } from './routes/jobs/index.js';
import { messageRoutes } from './routes/messages/index.js';
import { migrationRoutes } from './routes/migrations/index.js';
import { sharedSchemas } from './routes/shared-schemas.js';
import { signalRoutes } from './routes/signals/index.js';
import { taskRoutes } from './routes/tasks/index.js';
import { createSerializerCompiler, createValidatorCompiler, type ResponseMismatch, type ValidatorCompiler } from './schema-compilers.js';
import { serviceVersion } from './version.js';

export const API_PREFIX = '/api/processes';
/**
 * The request validators compile in the background from this long after the engine has started, so that the
 * first answers after a start do not wait behind them, and with a pause between two: the app's nearly 90
 * then take about 0.6 s in all.
 */
const VALIDATORS_AFTER_MS = 1_000;
const VALIDATOR_PAUSE_MS = 5;

/**
 * A start waits for no validator: they compile once the engine has started (or failed to), so a restart is
 * ready sooner; a schema Ajv refuses still stops the server.
 */
function compileAfterStart(validators: ValidatorCompiler, engine: Promise<Engine>): void {
  // a pending wait does not keep a closing process alive
  const wait = () => sleep(VALIDATORS_AFTER_MS, undefined, { ref: false });
  void engine.then(wait, wait).then(() => validators.compileInTurns(VALIDATOR_PAUSE_MS)).catch((err: unknown) => process.nextTick(() => {
    throw err;
  }));
}

export interface AppOptions {
  config: Config;
  /**
   * Starts the engine, which should report to `observer` (the engine's metrics); called once, right away.
   * The app closes the engine when it closes.
   */
  startEngine: (log: FastifyBaseLogger, observer: EngineObserver) => Promise<Engine>;
  /** Called for every answer that does not match its route's response schema (tests hold the contract with it). */
  onResponseMismatch?: (mismatch: ResponseMismatch) => void;
  /** The built management UI (apps/web/dist), served at `/`; without it the service is the API alone. */
  webRoot?: string;
  /** the event stream's heart-beat and buffer limits (tests shorten them) */
  eventStream?: Partial<StreamLimits>;
  /** how long a repeated Idempotency-Key waits for an answer still to be kept (tests shorten it) */
  idempotency?: AnswerWait;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** compiles the request validators no request has used yet (they compile lazily); throws for a bad schema */
    compileValidators(): void;
  }
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const app = Fastify({
    logger: { level: config.logLevel },
    logController: new DebugRequestLog(),
    bodyLimit: config.limits.bodyBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    frameworkErrors: answerFrameworkError,
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const validators = createValidatorCompiler(sharedSchemas);
  app.setValidatorCompiler(validators.compiler);
  app.decorate('compileValidators', validators.compilePending);
  app.setSerializerCompiler(createSerializerCompiler(sharedSchemas, options.onResponseMismatch));
  for (const schema of sharedSchemas) app.addSchema(schema);
  registerTracing(app);
  registerErrorHandling(app);
  registerJsonBodyParser(app, config.limits.jsonDepth);
  registerNulCharacterCheck(app);
  // The API speaks JSON (and XML for deployments); any other body is a 415, not a string to guess at.
  app.removeContentTypeParser('text/plain');

  const metrics = new Registry();
  const engine = options.startEngine(app.log.child({ component: 'engine' }), engineObserver(metrics));
  registerEngine(app, engine);
  app.addHook('onListen', async () => compileAfterStart(validators, engine));
  await registerOpenApi(app, serviceVersion);
  registerMetrics(app, metrics);
  if (options.webRoot !== undefined) await registerWebUi(app, options.webRoot);
  await app.register(healthRoutes, {
    storage: config.storage.databaseUrl ? 'postgresql' : 'pglite',
    redisUrl: config.redisUrl,
    authenticated: config.auth.mode !== 'none',
    eventManager: config.events.eventManagerUrl !== undefined,
  });

  await app.register(async (api) => {
    api.addHook('onRequest', requireEngine);
    registerAuthentication(api, config.auth);
    registerIdempotency(api, options.idempotency);
    await api.register(definitionRoutes, { prefix: '/definitions', deployBodyBytes: config.limits.deployBodyBytes });
    await api.register(decisionRoutes, { prefix: '/decisions', deployBodyBytes: config.limits.deployBodyBytes });
    await api.register(decisionInstanceRoutes, { prefix: '/decision-instances' });
    await api.register(instanceRoutes, { prefix: '/instances' });
    await api.register(migrationRoutes, { prefix: '/migrations' });
    await api.register(taskRoutes, { prefix: '/tasks' });
    await api.register(externalTaskRoutes, { prefix: '/external-tasks' });
    await api.register(conditionRoutes, { prefix: '/conditions' });
    await api.register(messageRoutes, { prefix: '/messages' });
    await api.register(signalRoutes, { prefix: '/signals' });
    await api.register(jobRoutes, { prefix: '/jobs' });
    await api.register(incidentRoutes, { prefix: '/incidents' });
    await api.register(analyticsRoutes);
    await api.register(eventRoutes, { prefix: '/events', stream: options.eventStream });
  }, { prefix: API_PREFIX });
  await app.register(engineRestRoutes, { prefix: ENGINE_REST_PREFIX, auth: config.auth, deployBodyBytes: config.limits.deployBodyBytes });

  if (config.auth.mode === 'none') app.log.warn(OPEN_API);
  else app.log.info({ key: config.auth.key.kind }, 'Every API call needs a bearer token');
  return app;
}

// createEngine: opens the store, and wires the commands (writes) and queries (reads) behind the
// Engine interface. It holds no BPMN logic of its own.
import { actingUser, requireAllWork } from './access/acting-user.js';
import { seesTenant, type Caller } from './access/caller.js';
import { TRANSACTIONAL_METHODS, type Engine, type EngineOptions, type TransactionalEngine } from './api/engine.js';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { TransactionSql } from 'postgres';
import { AfterCommit } from './commands/after-commit.js';
import type { CommandContext, CommittedWork } from './commands/command-context.js';
import { bpmnErrorExternalTask, completeExternalTask, extendExternalTaskLock, failExternalTask, fetchAndLock } from './commands/external-tasks.js';
import { lockExternalTask, setExternalTaskRetries, unlockExternalTask } from './commands/operate-external-tasks.js';
import { broadcastSignal } from './commands/broadcast-signal.js';
import { correlateMessage } from './commands/correlate-message.js';
import { GroupCommit } from './commands/group-commit.js';
import { ANSWER_PENDING, type IdempotencyClaim } from './commands/idempotency-claim.js';
import { JoinedCommands } from './commands/joined-commands.js';
import { escalateIncident, resolveIncident, setIncidentAnnotation } from './commands/incidents.js';
import { removeVariables, setInstanceSuspended, terminateInstance, updateVariables } from './commands/instances.js';
import { migrateInstances, migrationPlan } from './commands/migrate-instances.js';
import { modifyInstance } from './commands/modify-instance.js';
import { startInstance } from './commands/start-instance.js';
import { assignTask, claimTask, completeTask, delegateTask, resolveTask, unclaimTask } from './commands/user-tasks.js';
import { deleteDefinition, setDefinitionSuspended, updateDefinition } from './definitions/definition-commands.js';
import { DefinitionRegistry } from './definitions/definition-registry.js';
import { DecisionRegistry } from './definitions/decision-registry.js';
import { startOnCondition } from './commands/start-on-condition.js';
import { deployDecisions, evaluateDeployedDecision } from './definitions/decision-commands.js';
import { getDecisionInstance, listDecisionInstances } from './queries/decision-instances.js';
import { getDecision, listDecisions, toDecisionDefinition } from './queries/decisions.js';
import { deploy } from './definitions/deploy.js';
import { deleteDeployment } from './definitions/delete-deployment.js';
import { getDeployment, getDeploymentResource, listDeployments } from './queries/deployments.js';
import { EngineError, invalid } from './errors.js';
import { DEFAULT_MAX_BPMN_BYTES } from './model/index.js';
import { InProcessDispatcher } from './jobs/in-process-dispatcher.js';
import { JobExecutor } from './jobs/job-executor.js';
import { setJobDueDate } from './jobs/job-due-date.js';
import { executeJobNow, setJobRetries } from './jobs/run-job.js';
import { connectorCalls, httpCallPolicy } from './jobs/connector-calls.js';
import { TopicHandlers } from './jobs/topic-handlers.js';
import type { InstanceTarget } from './persistence/load-state.js';
import { openDatabase } from './persistence/open-database.js';
import { vacuumDueTables } from './persistence/store-vacuum.js';
import { importWithPeers } from './util/peer-dependency.js';
import { KeyRotation } from './protection/key-rotation.js';
import { createVariableProtection } from './protection/variable-protection.js';
import { eraseInstanceHistory } from './retention/erase-history.js';
import { removeExpiredHistory, retentionSettings } from './retention/history-cleanup.js';
import { startRelay } from './events/start-relay.js';
import { eventQuery } from './events/event-query.js';
import { instrumentCommands } from './observability/instrumented-commands.js';
import { PeriodicWork } from './util/periodic-work.js';
import { withoutUndefined } from './util/without-undefined.js';
import {
  bottlenecks, getDefinition, getExternalTask, getIncident, getInstanceDetails, getJob, getTask, getVariables, healthCounts, listDefinitions,
  listAuditEntries, listExternalTasks, listIncidents, listJobs, listInstances, listTasks, performance, statistics, taskStatistics, workloadGauges, type QueryContext,
} from './queries/index.js';
import { activityStatistics, definitionStatistics } from './queries/definition-statistics.js';

const DEFAULT_MAX_STEPS = 10_000;
const JOB_DEFAULTS = { run: true, sweepIntervalMs: 1_000, lockDurationMs: 60_000, retryBackoffMs: 10_000 };
/**
 * A job mostly waits for its command's transaction, which it shares with others: on PostgreSQL, 20 at
 * once held async service tasks near 430/s while the engine still had time to spare, 50 let them pass
 * 550/s. PGlite runs one statement at a time: jobs beyond a few only wait for it, and while they wait,
 * the timers coming due queue behind them (10,000 timers due in a minute fired seconds late at 32, on
 * time at 4).
 */
const JOB_CONCURRENCY = { postgres: 50, pglite: 4 } as const;
/**
 * Group commit. On PostgreSQL two lanes keep both cores busy while leaving commands queued long enough
 * to share a transaction: async service tasks ran about 60% faster than with a lane per pooled
 * connection, and start → end and the HTTP latencies did better with 2 lanes than with 3 or 4. Beside an
 * open transaction, the second lane waits for 4 commands, or 5 ms: requests over HTTP, which reach the engine
 * one by one, otherwise each opened it for a transaction of one or two (start → end over HTTP 0.41–0.48 →
 * 0.28–0.35 COMMITs an instance, about a tenth less CPU for the server and for PostgreSQL each). PGlite has
 * one connection, so one lane; commands that queue behind it share a transaction and its COMMIT, the largest
 * cost of a short command there (start → end 860 → 1,100/s, the user-task cycle 244 → 276/s). With 8 callers
 * batches of up to 8 did as well as larger ones, and a smaller bound keeps a read from waiting long behind one
 * transaction.
 */
const GROUP_COMMIT = {
  postgres: { lanes: 2, maxBatch: 32, gather: 4, gatherMs: 5 },
  pglite: { lanes: 1, maxBatch: 8, gather: 1, gatherMs: 0 },
} as const;
/**
 * How long close() waits for the work under way. A container is stopped 10 s after SIGTERM by default
 * (and the server gives its close as long); closing the database after the wait may take up to 5 s more
 * when queries hang.
 */
const CLOSE_TIMEOUT_MS = 4_000;

/** ms between the embedded store's vacuum passes: autovacuum's naptime; a pass that finds nothing due is two short statements */
const VACUUM_INTERVAL_MS = 60_000;

/** ms between passes of re-encryption under a new first key, and values re-encrypted per transaction */
const ROTATION_DEFAULTS = { intervalMs: 60_000, batchSize: 200 };

export async function createEngine(options: EngineOptions = {}): Promise<Engine> {
  // settings that are wrong stop the start before the database is opened
  const protection = createVariableProtection(options.variableProtection);
  const httpCalls = httpCallPolicy(options.httpConnector);
  const retention = retentionSettings(options.retention);
  const vacuumIntervalMs = options.vacuumIntervalMs ?? VACUUM_INTERVAL_MS;
  if (!(Number.isFinite(vacuumIntervalMs) && vacuumIntervalMs >= 0)) throw invalid('vacuumIntervalMs must be 0 or more');
  if (options.instanceCache !== undefined && !(Number.isInteger(options.instanceCache) && options.instanceCache >= 0)) {
    throw invalid('instanceCache must be a whole number, 0 or more');
  }
  // BullMQ takes longer to load than the database takes to open: it loads meanwhile (a missing one fails first)
  const bullmq = options.redisUrl ? importWithPeers(['bullmq', 'ioredis'], () => import('./jobs/bullmq-dispatcher.js')) : undefined;
  // a failure to load is met where the dispatcher is made; until then it must not count as unhandled
  bullmq?.catch(() => {});
  // protected values stay in memory only for the command that opened them: no instance rows are kept
  const { db, kind, views, listen, join, stateCache, close } = await openDatabase({ ...options, instanceCache: protection ? 0 : options.instanceCache });
  const now = options.now ?? (() => new Date());
  const historyLevel = options.historyLevel ?? 'full';
  // PGlite's store is this process's alone and has one connection: no other transaction runs beside a command's
  const exclusiveStore = kind === 'pglite';
  const definitions = new DefinitionRegistry(db, exclusiveStore);
  const decisions = new DecisionRegistry();
  const observer = options.observer ?? {};
  // the executor needs the context and the context announces commits to the executor
  let announce: (work: CommittedWork) => void = () => {};
  const commands: CommandContext = {
    db, definitions, decisions, historyLevel, now, exclusiveStore,
    stateCache,
    transactions: new GroupCommit(db, views, { ...GROUP_COMMIT[kind], ...withoutUndefined(options.groupCommit ?? {}) }, exclusiveStore, observer.transaction?.bind(observer)),
    observer,
    committed: (work) => announce(work),
    handlerSlot: (topic) => handlers.reserve(topic),
    maxBpmnBytes: options.maxBpmnBytes ?? DEFAULT_MAX_BPMN_BYTES,
    protection,
    interpreter: {
      now, historyLevel, maxSteps: options.maxStepsPerCommand ?? DEFAULT_MAX_STEPS, masking: protection,
      historyTimeToLiveDays: retention.historyTimeToLiveDays,
      performanceEvents: options.events?.performanceEvents ?? true,
    },
  };
  const queries: QueryContext = {
    db, historyLevel, now, protection, decisions, model: async (id) => (await definitions.get(id)).model,
    ...(stateCache ? { cachedInstance: (target: InstanceTarget) => stateCache.peek(target) } : {}),
  };
  const jobSettings = { ...JOB_DEFAULTS, concurrency: JOB_CONCURRENCY[kind], ...withoutUndefined(options.jobs ?? {}) };
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const logError = (error: unknown, message: string) => options.logger?.warn({ err: error }, message);
  // aborted when close() stops waiting: every handler and service call running hears it
  const giveUp = new AbortController();
  setMaxListeners(0, giveUp.signal);
  const handlers = new TopicHandlers(commands, { workerId: owner, retryBackoffMs: jobSettings.retryBackoffMs, logError, givenUp: giveUp.signal });
  const dispatcher = bullmq && options.redisUrl
    ? new (await bullmq).BullmqDispatcher({ redisUrl: options.redisUrl, prefix: options.jobs?.queuePrefix })
    : new InProcessDispatcher({ now });
  const executor = new JobExecutor(commands, dispatcher, handlers, connectorCalls(definitions, httpCalls), {
    ...jobSettings, owner, logError, givenUp: giveUp.signal,
  });
  // events are stored masked; masking again as they are published also covers those stored before a name was protected
  const relay = await startRelay({ db, listen, redisUrl: options.redisUrl, owner, now, logError }, {
    ...options.events, maskVariable: options.events?.maskVariable ?? protection?.maskVariable,
  });
  announce = (work) => {
    executor.committed(work);
    if (work.events) relay.wake();
  };
  const afterCommit = listen ? new AfterCommit(listen, announce) : undefined;
  await executor.start();
  const rotation = protection
    ? new KeyRotation(db, protection, { ...ROTATION_DEFAULTS, ...withoutUndefined(options.variableProtection?.rotation ?? {}), logError })
    : undefined;
  rotation?.start();
  // an engine that runs no jobs (one serving the API only) leaves the cleanup to those that do
  const cleanup = new PeriodicWork(() => removeExpiredHistory(commands, retention.cleanupBatchSize), {
    intervalMs: jobSettings.run ? retention.cleanupIntervalMs : 0, failure: 'Removing expired instances failed; the next cleanup tries again', logError,
  });
  cleanup.start();
  const vacuum = new PeriodicWork(() => vacuumDueTables(db), {
    intervalMs: kind === 'pglite' ? vacuumIntervalMs : 0,
    failure: 'Vacuuming the embedded store failed; the next pass tries again', logError,
  });
  vacuum.start();

  let closing: Promise<void> | undefined;
  /**
   * The handlers and the jobs stop taking work and are waited for together, each holding the database
   * open for the commands of its work, for closeTimeoutMs at most; then the database closes.
   */
  const closeAll = async () => {
    const timeoutMs = options.closeTimeoutMs ?? CLOSE_TIMEOUT_MS;
    const timer = setTimeout(() => {
      options.logger?.warn({ closeTimeoutMs: timeoutMs }, 'Closing gave up on the handlers and jobs still running; their locks will expire');
      giveUp.abort();
    }, timeoutMs);
    const stopped = await Promise.allSettled([handlers.close(), executor.close(), rotation?.close(), cleanup.close(giveUp.signal), vacuum.close(giveUp.signal)]);
    clearTimeout(timer);
    // after the work that commits events: the relay hands them on before the database closes
    stopped.push(...await Promise.allSettled([relay.close(), afterCommit?.close()]));
    await close();
    for (const outcome of stopped) if (outcome.status === 'rejected') throw outcome.reason;
  };

  /**
   * the engine as seen by one caller (or by none: unrestricted), guarding one Idempotency-Key or none,
   * on the engine's own transactions or a caller's
   */
  const engineFor = (caller?: Caller, claim?: IdempotencyClaim, base = { commands, queries }): Engine => {
    const ctx: CommandContext = caller || claim ? { ...base.commands, caller, idempotency: claim } : base.commands;
    const q: QueryContext = caller ? { ...base.queries, caller } : base.queries;
    // the methods that call it are async, so that a refused user rejects their promise instead of throwing
    const acting = (named: string | undefined, field: string) => actingUser(caller, named, field);
    return instrumentCommands({
      async withTransaction(transaction, work) {
        if (!join || !afterCommit) throw new EngineError('UNAVAILABLE', 'withTransaction joins a PostgreSQL transaction: on PGlite the engine has the only connection');
        const trx = join(transaction as TransactionSql);
        const handedOut: CommittedWork[] = [];
        const joined = engineFor(caller, undefined, {
          // new external tasks wait for a fetch, which the handlers make once they hear of them after the commit
          commands: { ...commands, db: trx, transactions: new JoinedCommands(trx), committed: (w) => handedOut.push(w), handlerSlot: () => undefined },
          queries: { ...queries, db: trx },
        });
        const result = await work(Object.fromEntries(TRANSACTIONAL_METHODS.map((m) => [m, joined[m]])) as TransactionalEngine);
        await afterCommit.register(trx, handedOut);
        return result;
      },
      async deploy(input) {
        const deployed = await deploy(ctx, { ...input, deployed_by: acting(input.deployed_by, 'deployed_by') });
        const defs = await Promise.all(deployed.definition_ids.map((id) => getDefinition(q, id)));
        return { deployment_id: deployed.deployment_id, definitions: defs, created: deployed.created };
      },
      async deployDecisions(input) {
        const deployed = await deployDecisions(ctx, { ...input, deployed_by: acting(input.deployed_by, 'deployed_by') });
        return { deployment_id: deployed.deployment_id, decisions: deployed.rows.map(toDecisionDefinition), created: deployed.created };
      },
      listDecisions: (query) => listDecisions(q, query),
      getDecision: (id) => getDecision(q, id),
      listDecisionInstances: (query) => listDecisionInstances(q, query),
      getDecisionInstance: (id) => getDecisionInstance(q, id),
      evaluateDecision: (input) => evaluateDeployedDecision(ctx, input),
      listDefinitions: (query) => listDefinitions(q, query),
      getDefinition: (id) => getDefinition(q, id),
      async updateDefinition(id, patch) {
        await updateDefinition(ctx, id, patch, caller?.user_id);
        return getDefinition(q, id);
      },
      deleteDefinition: (id, opts) => deleteDefinition(ctx, id, opts, caller?.user_id),
      listDeployments: (query) => listDeployments(q, query),
      getDeployment: (id) => getDeployment(q, id),
      getDeploymentResource: (deploymentId, resourceId) => getDeploymentResource(q, deploymentId, resourceId),
      deleteDeployment: (id, opts) => deleteDeployment(ctx, id, opts, caller?.user_id),
      async setDefinitionSuspended(id, suspended, opts) {
        await setDefinitionSuspended(ctx, id, suspended, opts, caller?.user_id);
        return getDefinition(q, id);
      },

      startInstance: async (input) => startInstance(ctx, { ...input, started_by: acting(input.started_by, 'started_by') }),
      startOnCondition: async (input) => startOnCondition(ctx, { ...input, started_by: acting(input.started_by, 'started_by') }),
      listInstances: (query) => listInstances(q, query),
      getInstance: (id) => getInstanceDetails(q, id),
      terminateInstance: async (id, opts) => terminateInstance(ctx, id, { ...opts, user_id: acting(opts?.user_id, 'user_id') }),
      modifyInstance: async (id, input) => modifyInstance(ctx, id, { ...input, user_id: acting(input?.user_id, 'user_id') }),
      migrateInstances: async (input) => migrateInstances(ctx, { ...input, user_id: acting(input?.user_id, 'user_id') }),
      migrationPlan: (sourceId, targetId, options) => migrationPlan(ctx, sourceId, targetId, options?.update_event_triggers === true),
      setInstanceSuspended: async (id, suspended, opts) => setInstanceSuspended(ctx, id, suspended, acting(opts?.user_id, 'user_id')),
      eraseInstanceHistory: (id) => eraseInstanceHistory(ctx, id),
      removeExpiredHistory: (cleanupOptions) => removeExpiredHistory(ctx, cleanupOptions?.batchSize ?? retention.cleanupBatchSize, cleanupOptions?.maxBatches),
      getVariables: (id) => getVariables(q, id),
      updateVariables: async (id, updates, opts) => updateVariables(ctx, id, updates, acting(opts?.user_id, 'user_id')),
      removeVariables: async (id, names, opts) => removeVariables(ctx, id, names, acting(opts?.user_id, 'user_id')),

      listTasks: (query) => listTasks(q, query),
      getTask: (id) => getTask(q, id),
      claimTask: async (id, userId) => claimTask(ctx, id, actingUser(caller, userId, 'user_id')),
      unclaimTask: async (id, opts) => unclaimTask(ctx, id, acting(opts?.user_id, 'user_id')),
      assignTask: async (id, userId, opts) => assignTask(ctx, id, userId, acting(opts?.user_id, 'user_id')),
      delegateTask: async (id, userId, opts) => delegateTask(ctx, id, userId, acting(opts?.user_id, 'user_id')),
      resolveTask: async (id, input) => resolveTask(ctx, id, { ...input, user_id: acting(input?.user_id, 'user_id') }),
      completeTask: async (id, input) => completeTask(ctx, id, { ...input, user_id: acting(input?.user_id, 'user_id') }),

      fetchAndLock: (input) => fetchAndLock(ctx, input),
      listExternalTasks: (query) => listExternalTasks(q, query),
      completeExternalTask: (id, input) => completeExternalTask(ctx, id, input),
      failExternalTask: (id, input) => failExternalTask(ctx, id, input),
      bpmnErrorExternalTask: (id, input) => bpmnErrorExternalTask(ctx, id, input),
      extendExternalTaskLock: (id, input) => extendExternalTaskLock(ctx, id, input),
      getExternalTask: (id) => getExternalTask(q, id),
      lockExternalTask: (id, input) => lockExternalTask(ctx, id, input),
      unlockExternalTask: async (id, opts) => unlockExternalTask(ctx, id, acting(opts?.user_id, 'user_id')),
      setExternalTaskRetries: async (id, retries, opts) => setExternalTaskRetries(ctx, id, retries, acting(opts?.user_id, 'user_id')),

      handle: (topic, handler, handleOptions) => handlers.register(topic, handler, handleOptions),
      listJobs: (query) => listJobs(q, query),
      getJob: (id) => getJob(q, id),
      executeJob: (id) => executeJobNow(ctx, id, (job) => executor.runNow(job)),
      async setJobRetries(id, retries) {
        if (!Number.isInteger(retries) || retries < 0) throw invalid('retries must be a non-negative integer');
        await getJob(q, id);
        await setJobRetries(ctx, id, retries);
        return getJob(q, id);
      },
      async setJobDueDate(id, due, opts) {
        await setJobDueDate(ctx, id, due, acting(opts?.user_id, 'user_id'));
        return getJob(q, id);
      },

      correlateMessage: (input) => correlateMessage(ctx, input),
      broadcastSignal: (input) => broadcastSignal(ctx, input),

      listIncidents: (query) => listIncidents(q, query),
      listAuditEntries: (query) => listAuditEntries(q, query),
      getIncident: (id) => getIncident(q, id),
      async resolveIncident(id, input) {
        await resolveIncident(ctx, id, { ...input, resolved_by: acting(input.resolved_by, 'resolved_by') });
        return getIncident(q, id);
      },
      async escalateIncident(id, input) {
        await escalateIncident(ctx, id, { ...input, user_id: acting(input.user_id, 'user_id') });
        return getIncident(q, id);
      },
      async setIncidentAnnotation(id, annotation, opts) {
        await setIncidentAnnotation(ctx, id, annotation, acting(opts?.user_id, 'user_id'));
        return getIncident(q, id);
      },

      statistics: (query) => statistics(q, query),
      taskStatistics: (query) => taskStatistics(q, query),
      performance: (query) => performance(q, query),
      bottlenecks: (query) => bottlenecks(q, query),
      definitionStatistics: (options) => definitionStatistics(q, options),
      activityStatistics: (id, options) => activityStatistics(q, id, options),

      rotateEncryptionKeys: async () => (rotation ? rotation.rotate() : 0),
      maskEvent: (event) => (protection ? protection.maskEvent(event) : event),

      async listEvents(query = {}) {
        requireAllWork(caller, 'read the events');
        const page = await relay.list({ ...eventQuery(query), caller });
        return { ...page, offset: 0 };
      },
      async lastEventId() {
        requireAllWork(caller, 'read the events');
        return String(await relay.latest());
      },
      subscribeEvents(listener) {
        requireAllWork(caller, 'read the events');
        return relay.subscribe(caller ? (events) => listener(events.filter((event) => seesTenant(caller, event.tenant_id))) : listener);
      },
      eventSinks: () => relay.sinkStatus(),
      async gauges() {
        const [workload, outbox] = await Promise.all([workloadGauges(q), relay.sinkBacklogs()]);
        return { ...workload, outbox };
      },

      // an answer may show protected variables: it is kept encrypted
      async recallIdempotent(key) {
        const stored = await db.selectFrom('idempotency_keys').select(['request_hash', 'status_code', 'response', 'created_at'])
          .where('key', '=', key).executeTakeFirst();
        if (!stored) return undefined;
        const response = protection && stored.response ? protection.openText(stored.response) : stored.response;
        return { ...stored, response, created_at: new Date(stored.created_at) };
      },
      async rememberIdempotent(key, record) {
        const response = protection && record.response ? protection.sealText(record.response) : record.response;
        // the row a command took for this request waits for its answer; any other row is left as it is
        await db.insertInto('idempotency_keys').values({ key, ...record, response, created_at: now() })
          .onConflict((oc) => oc.column('key').doUpdateSet({ status_code: record.status_code, response })
            .where('idempotency_keys.status_code', '=', ANSWER_PENDING)
            .where('idempotency_keys.request_hash', '=', record.request_hash))
          .execute();
      },
      idempotent: (claim) => engineFor(caller, claim),

      async health() {
        try {
          return { database: 'healthy', ...(await healthCounts(q)) };
        } catch (e) {
          throw new EngineError('UNAVAILABLE', 'The database does not answer', { cause: e });
        }
      },
      as: (other) => engineFor(other, claim),
      close() {
        closing ??= closeAll();
        return closing;
      },
    }, observer);
  };
  return engineFor();
}

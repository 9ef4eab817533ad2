// All the instances one command touches: the one it is about and, through call activities, the others
// of its tree. They share the command's transaction and the lock of their root row (taken first, so two
// commands on one tree never deadlock). What an instance asks of another (instance-calls.ts) is carried
// out once its interpreter has run, in order, until nothing is left; then every instance is written.
import type { Transaction } from 'kysely';
import { isEngineError } from '../errors.js';
import { DecisionError, evaluateDecision, type DecisionResult, type EvaluatedDecision } from '../decisions/index.js';
import { decisionInstanceRows } from '../definitions/decision-instances.js';
import type { DecisionCall, InstanceCalls, ProcessCall, PropagationOutcome, Thrown } from '../execution/instance-calls.js';
import type { ExecutionRow, InstanceRow, InstanceState } from '../execution/instance-state.js';
import { Interpreter, StepLimit } from '../execution/interpreter.js';
import type { Database } from '../persistence/database.js';
import { lockAndLoad, type InstanceTarget } from '../persistence/load-state.js';
import { isEngineId } from '../util/ids.js';
import { typedFromValue, type TypedValue } from '../variables/variable-codec.js';
import { calledDefinition } from './called-definition.js';
import type { CommandContext } from './command-context.js';
import { ANONYMOUS, newInstanceState, type NewInstance } from './new-instance.js';
import { saveState } from './run-command.js';

/**
 * The start variables, after the camunda:initiator variable holding the user who started the instance (null
 * for none), as Camunda 7 sets it before them: a start variable of that name wins.
 */
function withInitiator(state: InstanceState, variables: ReadonlyMap<string, TypedValue>): ReadonlyMap<string, TypedValue> {
  const name = state.model.initiatorVariable;
  if (name === undefined) return variables;
  const user = state.instance.started_by === ANONYMOUS ? null : state.instance.started_by;
  return new Map([[name, typedFromValue(user)], ...variables]);
}

export class InstanceSession implements InstanceCalls {
  readonly #open = new Map<string, Interpreter>();
  /** each instance's claim on the cache of instance rows, for its rows to be kept once the command has committed */
  readonly #claims = new Map<string, number>();
  readonly #requests: (() => Promise<void>)[] = [];
  /** one count of the elements the command enters, across all its instances (a process calling itself) */
  readonly #steps: StepLimit;

  constructor(private readonly ctx: CommandContext, private readonly trx: Transaction<Database>) {
    this.#steps = new StepLimit(ctx.interpreter.maxSteps);
  }

  /**
   * the instance, locked and loaded at its first use in the command; undefined when it does not exist.
   * Named through a row of it (a task…), it is looked up with the lock.
   */
  async open(target: InstanceTarget): Promise<Interpreter | undefined> {
    const id = typeof target === 'string' ? target : target.id;
    const open = typeof target === 'string' ? this.#open.get(target) : undefined;
    if (open) return open;
    const { exclusiveStore: exclusive, protection, stateCache: cache } = this.ctx;
    const loaded = isEngineId(id) ? await lockAndLoad(this.trx, target, { exclusive, protection, cache }) : undefined;
    if (!loaded) return undefined;
    const known = this.#open.get(loaded.instance.id);
    if (known) return known;
    if (loaded.claim !== undefined) this.#claims.set(loaded.instance.id, loaded.claim);
    this.ctx.transactions.locked(this.trx, loaded.instance.root_instance_id);
    const { info, model } = await this.ctx.definitions.get(loaded.instance.process_definition_id, this.trx);
    return this.#interpreter(loaded.state(info, model));
  }

  /** a new instance, started: its first token runs until it waits */
  async start(spec: NewInstance): Promise<Interpreter> {
    const { state, startEventId } = await newInstanceState(this.ctx, this.trx, spec);
    const interpreter = this.#interpreter(state);
    const { instance, definition } = state;
    const claim = this.ctx.stateCache?.claim(instance.id);
    if (claim !== undefined) this.#claims.set(instance.id, claim);
    // a called instance is a step further along its caller's path: a process calling itself meets the step limit
    if (spec.calledBy) this.#steps.fork({ id: spec.calledBy.executionId }, { id: instance.id });
    interpreter.history.event('process_manager.instance.started', {
      instance_id: instance.id, process_definition_key: definition.key, business_key: instance.business_key ?? undefined,
      started_by: instance.started_by, variables: Object.fromEntries([...spec.variables].map(([name, v]) => [name, v.value])),
    });
    interpreter.history.audit({ operation: 'Start', user_id: instance.started_by, activity_id: startEventId });
    interpreter.start(startEventId, withInitiator(state, spec.variables));
    return interpreter;
  }

  /**
   * what the instances asked of each other (decisions, calls, ends), carried out until nothing is left: a
   * command that answers with an instance reads it after this, as its caller will find it
   */
  async settle(): Promise<void> {
    for (let request = this.#requests.shift(); request; request = this.#requests.shift()) await request();
  }

  /** settled, then each instance is written */
  async finish(): Promise<void> {
    await this.settle();
    for (const interpreter of this.#open.values()) await saveState(this.ctx, this.trx, interpreter.state, this.#claims.get(interpreter.state.instance.id));
  }

  #interpreter(state: InstanceState): Interpreter {
    const interpreter = new Interpreter(state, this.ctx.interpreter, this, this.#steps);
    this.#open.set(state.instance.id, interpreter);
    return interpreter;
  }

  // what an instance asks of the others (instance-calls.ts), carried out by finish()

  callProcess(token: ExecutionRow, call: ProcessCall): void {
    this.#requests.push(() => this.#call(token.process_instance_id, token.id, call));
  }

  decide(token: ExecutionRow, call: DecisionCall): void {
    this.#requests.push(() => this.#decide(token.process_instance_id, token.id, call));
  }

  terminate(calledId: string): void {
    this.#requests.push(() => this.#terminate(calledId));
  }

  ended(instance: InstanceRow, status: 'completed' | 'externally_terminated' | 'terminated', variables: ReadonlyMap<string, TypedValue>): void {
    this.#requests.push(() => this.#ended(instance, status, variables));
  }

  propagate(thrower: ExecutionRow, thrown: Thrown): void {
    this.#requests.push(() => this.#propagate(thrower.process_instance_id, thrower.id, thrown));
  }

  /** the called process starts, unless it cannot: an incident at the call activity then */
  async #call(callerId: string, tokenId: string, call: ProcessCall): Promise<void> {
    const caller = this.#open.get(callerId)!;
    const token = caller.state.executions.get(tokenId);
    if (!token || token.state !== 'waiting') return;
    const definition = await calledDefinition(this.trx, caller.state, call);
    if (typeof definition === 'string') return caller.failAt(token, definition);
    const { instance } = caller.state;
    try {
      const called = await this.start({
        definition, businessKey: call.businessKey, variables: call.variables, startedBy: instance.started_by,
        tenantId: instance.tenant_id, calledBy: { instance, executionId: token.id },
      });
      const activity = caller.history.activity(token.activity_instance_id);
      if (activity) activity.called_process_instance_id = called.state.instance.id;
    } catch (e) {
      // a definition that cannot start (suspended, or without a none start event) is the model's problem
      if (!isEngineError(e) || e.code !== 'CONFLICT') throw e;
      caller.failAt(token, e.message);
    }
  }

  /** the decision is evaluated and the token goes on with its result, unless it cannot be: an incident then */
  async #decide(instanceId: string, tokenId: string, call: DecisionCall): Promise<void> {
    const interpreter = this.#open.get(instanceId)!;
    const token = interpreter.state.executions.get(tokenId);
    if (!token || token.state !== 'waiting') return;
    const { instance, definition } = interpreter.state;
    const found = await this.ctx.decisions.find(this.trx, call.decisionKey, call, { tenantId: instance.tenant_id, definitionId: definition.id });
    if (typeof found === 'string') return interpreter.failAt(token, found);
    let result: DecisionResult;
    const evaluations: EvaluatedDecision[] = [];
    try {
      result = evaluateDecision(found.document, found.decision.id, call.variables, evaluations);
    } catch (e) {
      if (!(e instanceof DecisionError)) throw e;
      return interpreter.failAt(token, e.message);
    }
    if (this.ctx.historyLevel === 'full') {
      interpreter.state.decisionInstances.push(...await decisionInstanceRows(this.trx, this.ctx.decisions, found, evaluations, {
        evaluatedAt: this.ctx.now(), userId: null, tenantId: instance.tenant_id, removalTime: null,
        task: {
          process_instance_id: instance.id, process_definition_id: definition.id, process_definition_key: definition.key,
          activity_id: token.activity_id, activity_instance_id: token.activity_instance_id,
        },
        redact: (text) => interpreter.redacted(token.id, text),
      }));
    }
    interpreter.decided(token, { decision: found.decision, result });
  }

  async #terminate(calledId: string): Promise<void> {
    const called = await this.open(calledId);
    if (called && !called.state.isEnded) called.terminateInstance('terminated', 'Its call activity was ended');
  }

  /** a called instance ended: unless its caller ended it, the call activity goes on (or learns it was terminated) */
  async #ended(instance: InstanceRow, status: 'completed' | 'externally_terminated' | 'terminated', variables: ReadonlyMap<string, TypedValue>): Promise<void> {
    if (status === 'terminated' || !instance.super_instance_id) return;
    const caller = await this.open(instance.super_instance_id);
    const token = caller?.state.executions.get(instance.super_execution_id!);
    if (!caller || !token || caller.history.activity(token.activity_instance_id)?.called_process_instance_id !== instance.id) return;
    caller.calledEnded(token, status, variables);
  }

  /**
   * What nothing in the thrower's instance caught goes up the call activities that called it, until one
   * catches it; the thrower then learns the outcome, unless the catch ended its instance.
   */
  async #propagate(instanceId: string, throwerId: string, thrown: Thrown): Promise<void> {
    let outcome: PropagationOutcome = 'uncaught';
    for (let current = this.#open.get(instanceId)!.state.instance; outcome === 'uncaught' && current.super_instance_id;) {
      const caller = await this.open(current.super_instance_id);
      const callToken = caller?.state.executions.get(current.super_execution_id!);
      if (!caller || !callToken) break;
      outcome = caller.catchThrown(callToken, thrown, this.#open.get(current.id)!.variables.typedIn(current.id));
      current = caller.state.instance;
    }
    const thrower = this.#open.get(instanceId)!;
    const token = thrower.state.executions.get(throwerId);
    if (outcome !== 'interrupted' && token && !thrower.state.isEnded) thrower.thrownOutcome(token, thrown, outcome);
  }
}

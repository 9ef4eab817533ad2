// How many elements one command may enter. Along one path without a wait state (a loop with no wait),
// the configured maximum, as API.md says; across everything the command runs, ten times that, since a
// fan-out (parallel branches, up to 10,000 multi-instance instances, called instances) starts paths of
// its own, each of which may be long, and no command may grow without bound.
import type { ExecutionRow } from './instance-state.js';

const FAN_OUT = 10;

export class StepLimit {
  /** elements entered along each execution's path in this command; a new execution goes on from its parent's */
  readonly #paths = new Map<string, number>();
  #total = 0;

  constructor(readonly max: number) {}

  /** counts an element the execution enters; why it may not, when it may not */
  enter(execution: ExecutionRow): string | undefined {
    const path = (this.#paths.get(execution.id) ?? this.#paths.get(execution.parent_id ?? '') ?? 0) + 1;
    this.#paths.set(execution.id, path);
    this.#total += 1;
    if (path > this.max) return `entered more than ${this.max} elements in one command without reaching a wait state (a loop with no wait?)`;
    if (this.#total > this.max * FAN_OUT) return `entered more than ${this.max * FAN_OUT} elements in one command`;
    return undefined;
  }

  /** a token that forks off another (or the root of an instance a call activity starts) goes on from the other's count */
  fork(from: Pick<ExecutionRow, 'id'>, to: Pick<ExecutionRow, 'id'>): void {
    const path = this.#paths.get(from.id);
    if (path !== undefined) this.#paths.set(to.id, path);
  }
}

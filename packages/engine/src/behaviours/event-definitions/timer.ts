import { ExpressionError, type Expression } from '../../expressions/index.js';
import type { FlowNode } from '../../model/index.js';
import { scheduleTimer, TimerValueError, type TimerKind } from '../../timers/index.js';
import { retriesOf } from '../../execution/work-items.js';
import type { EventDefinitionBehaviour } from './event-definition.js';

/** the timer's value is evaluated when the execution starts listening, so a bad value is an incident there */
export const timer: EventDefinitionBehaviour = {
  listen(ctx, execution, event) {
    const [kind, expression] = timerValue(event);
    const value = ctx.evaluate(execution, expression);
    try {
      const firing = scheduleTimer(kind, value, ctx.now());
      ctx.work.createJob(execution, event.id, {
        type: 'timer',
        // a catch event's timer moves its own token on; the others start a boundary event or an event sub-process
        handler: event.kind === 'intermediateCatchEvent' ? 'timer-catch' : 'timer-boundary',
        due_at: firing.due, repeat: firing.repeat ?? null, retries: retriesOf(event),
      });
    } catch (e) {
      if (!(e instanceof TimerValueError)) throw e;
      throw new ExpressionError(`the timer of '${event.id}': ${e.message}`, { expression: expression.source });
    }
  },
};

function timerValue(event: FlowNode): [TimerKind, Expression] {
  const definition = event.eventDefinition;
  if (definition.kind === 'timer') {
    if (definition.timeDate) return ['date', definition.timeDate];
    if (definition.timeDuration) return ['duration', definition.timeDuration];
    if (definition.timeCycle) return ['cycle', definition.timeCycle];
  }
  throw new Error(`${event.id} has a timer without a value: the compiler should have refused it`);
}

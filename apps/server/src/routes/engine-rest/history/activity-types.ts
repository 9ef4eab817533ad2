// Camunda 7 names an event's activity type after its kind and its event definition (`noneEndEvent`,
// `boundaryTimer`, `messageStartEvent`…), where the engine gives the element's kind and the kind of its
// event definition apart.
import type { Activity } from '@dadms/process-engine';

const EVENT_TYPES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  startEvent: {
    none: 'startEvent', timer: 'startTimerEvent', message: 'messageStartEvent', signal: 'signalStartEvent', escalation: 'escalationStartEvent',
    compensate: 'compensationStartEvent', error: 'errorStartEvent', conditional: 'conditionalStartEvent',
  },
  endEvent: {
    none: 'noneEndEvent', error: 'errorEndEvent', cancel: 'cancelEndEvent', terminate: 'terminateEndEvent', message: 'messageEndEvent',
    signal: 'signalEndEvent', compensate: 'compensationEndEvent', escalation: 'escalationEndEvent',
  },
  intermediateCatchEvent: {
    timer: 'intermediateTimer', message: 'intermediateMessageCatch', signal: 'intermediateSignalCatch', conditional: 'intermediateConditional',
    link: 'intermediateLinkCatch',
  },
  intermediateThrowEvent: {
    none: 'intermediateNoneThrowEvent', signal: 'intermediateSignalThrow', compensate: 'intermediateCompensationThrowEvent',
    message: 'intermediateMessageThrowEvent', escalation: 'intermediateEscalationThrowEvent',
  },
  boundaryEvent: {
    timer: 'boundaryTimer', message: 'boundaryMessage', signal: 'boundarySignal', compensate: 'compensationBoundaryCatch', error: 'boundaryError',
    escalation: 'boundaryEscalation', cancel: 'cancelBoundaryCatch', conditional: 'boundaryConditional',
  },
};

/** Camunda 7's activity type of an activity the engine records by its element's kind and event definition */
export function camundaActivityType({ type, event_definition: definition = 'none' }: Pick<Activity, 'type' | 'event_definition'>): string {
  return EVENT_TYPES[type]?.[definition] ?? type;
}

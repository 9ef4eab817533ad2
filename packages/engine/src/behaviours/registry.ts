// The one place that maps element kinds to behaviours. Kinds the validator refuses have none.
import type { ElementKind } from '../model/index.js';
import type { Behaviour } from './behaviour.js';
import { boundaryEvent, endEvent, intermediateCatchEvent, intermediateThrowEvent, startEvent } from './events.js';
import { eventBasedGateway, exclusiveGateway, inclusiveGateway, parallelGateway } from './gateways.js';
import { externalTask, passThrough, receiveTask, scriptTask, subProcess, userTask } from './tasks.js';

const BEHAVIOURS: Partial<Record<ElementKind, Behaviour>> = {
  startEvent,
  endEvent,
  boundaryEvent,
  intermediateThrowEvent,
  intermediateCatchEvent,
  exclusiveGateway,
  parallelGateway,
  inclusiveGateway,
  eventBasedGateway,
  task: passThrough,
  manualTask: passThrough,
  userTask,
  scriptTask,
  serviceTask: externalTask,
  sendTask: externalTask,
  businessRuleTask: externalTask,
  receiveTask,
  subProcess,
};

export function behaviourOf(kind: ElementKind): Behaviour {
  const behaviour = BEHAVIOURS[kind];
  if (!behaviour) throw new Error(`no behaviour for ${kind}: the validator should have refused it`);
  return behaviour;
}

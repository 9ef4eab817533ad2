// The one place that maps element kinds to behaviours. Kinds the validator refuses have none. An element
// with loop characteristics is carried out by its loop's body, whose inner instances are the element's
// own behaviour.
import type { ElementKind, FlowNode } from '../model/index.js';
import type { Behaviour } from './behaviour.js';
import { processBehaviour } from './activities/process.js';
import { businessRuleTask } from './activities/business-rule-task.js';
import { callActivity } from './activities/call-activity.js';
import { multiInstanceBody } from './activities/multi-instance-body.js';
import { receiveTask } from './activities/receive-task.js';
import { scriptTask } from './activities/script-task.js';
import { serviceTask } from './activities/service-task.js';
import { standardLoop } from './activities/standard-loop.js';
import { subProcess } from './activities/sub-process.js';
import { task } from './activities/task.js';
import { userTask } from './activities/user-task.js';
import { boundaryEvent } from './events/boundary-event.js';
import { endEvent } from './events/end-event.js';
import { intermediateCatchEvent } from './events/intermediate-catch-event.js';
import { intermediateThrowEvent } from './events/intermediate-throw-event.js';
import { startEvent } from './events/start-event.js';
import { eventBasedGateway } from './gateways/event-based-gateway.js';
import { exclusiveGateway } from './gateways/exclusive-gateway.js';
import { inclusiveGateway } from './gateways/inclusive-gateway.js';
import { parallelGateway } from './gateways/parallel-gateway.js';

export { processBehaviour };

type Behaviours = Partial<Record<ElementKind, Behaviour>>;

// built at first use: behaviours and the catching code they share import each other
let behaviours: Behaviours | undefined;

export function behaviourOf(kind: ElementKind): Behaviour {
  behaviours ??= {
    startEvent,
    endEvent,
    boundaryEvent,
    intermediateThrowEvent,
    intermediateCatchEvent,
    exclusiveGateway,
    parallelGateway,
    inclusiveGateway,
    eventBasedGateway,
    task,
    manualTask: task,
    userTask,
    scriptTask,
    serviceTask,
    sendTask: serviceTask,
    businessRuleTask,
    receiveTask,
    subProcess,
    transaction: subProcess,
    callActivity,
  };
  const behaviour = behaviours[kind];
  if (!behaviour) throw new Error(`no behaviour for ${kind}: the validator should have refused it`);
  return behaviour;
}

/** the behaviour of the body of an element with loop characteristics */
export function loopBehaviourOf(node: FlowNode): Behaviour {
  return node.multiInstance ? multiInstanceBody : standardLoop;
}

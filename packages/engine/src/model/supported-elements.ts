// What the interpreter runs. Every element contributes construct keys (see element-constructs.ts); a
// key missing here refuses the model at deploy with a problem naming the element. Enabling a construct
// once the interpreter runs it means adding its key here, nowhere else.

/** Something an element uses that the interpreter must know how to run. */
export interface Construct {
  /** e.g. 'userTask', 'startEvent:message', 'serviceTask:external', 'multiInstance' */
  readonly key: string;
  /** how a problem names it: 'a timer boundaryEvent', 'camunda:class="org.example.Charge"' */
  readonly description: string;
  /** what to use instead, when there is something */
  readonly hint?: string;
}

const SUPPORTED: ReadonlySet<string> = new Set([
  // events: `<element>:<event definition>`; message throws need a worker (`:external`)
  'startEvent:none',
  'startEvent:message',
  'startEvent:signal',
  'endEvent:none',
  'endEvent:terminate',
  'endEvent:error',
  'endEvent:message:external',
  'endEvent:signal',
  'endEvent:escalation',
  'intermediateThrowEvent:none',
  'intermediateThrowEvent:message:external',
  'intermediateThrowEvent:signal',
  'intermediateThrowEvent:link',
  'intermediateThrowEvent:escalation',
  'intermediateCatchEvent:link',
  'intermediateCatchEvent:message',
  'intermediateCatchEvent:timer',
  'intermediateCatchEvent:signal',
  'intermediateCatchEvent:conditional',
  'startEvent:timer',
  'boundaryEvent:error',
  'boundaryEvent:timer',
  'boundaryEvent:message',
  'boundaryEvent:signal',
  'boundaryEvent:escalation',
  'boundaryEvent:conditional',
  'boundaryEvent:compensate',
  'intermediateThrowEvent:compensate',
  'endEvent:compensate',
  // gateways
  'exclusiveGateway',
  'parallelGateway',
  'inclusiveGateway',
  'eventBasedGateway',
  // activities; service-like tasks as `<element>:<implementation>`, script tasks as `scriptTask:<format>`
  'task',
  'userTask',
  'manualTask',
  'receiveTask',
  'scriptTask:feel',
  'serviceTask:external',
  'sendTask:external',
  'businessRuleTask:external',
  'serviceTask:http-connector',
  'sendTask:http-connector',
  'businessRuleTask:http-connector',
  'businessRuleTask:decision',
  'subProcess',
  'transaction',
  'endEvent:cancel',
  'boundaryEvent:cancel',
  'callActivity',
  'eventSubProcess',
  'startEvent:error',
  'startEvent:escalation',
  'startEvent:conditional',
  // aspects any element may have
  'multiInstance',
  'standardLoop',
  'asyncBefore',
  'asyncAfter',
  'compensationHandler',
]);

export function isSupported(construct: Construct): boolean {
  return SUPPORTED.has(construct.key);
}

// The compiled, frozen form of one executable BPMN process. Built once per definition at deploy (and
// on first use after a restart); the interpreter never looks at moddle objects.
import type { Expression } from '../expressions/expression.js';
import type { FormField } from '../api/types.js';
import type { HttpConnectorSpec } from '../connectors/http-connector-spec.js';

export type ElementKind =
  | 'startEvent' | 'endEvent' | 'intermediateCatchEvent' | 'intermediateThrowEvent' | 'boundaryEvent'
  | 'exclusiveGateway' | 'parallelGateway' | 'inclusiveGateway' | 'eventBasedGateway'
  | 'task' | 'userTask' | 'manualTask' | 'scriptTask' | 'serviceTask' | 'sendTask' | 'businessRuleTask' | 'receiveTask'
  | 'subProcess' | 'transaction' | 'callActivity';

export type EventDefinition =
  | { readonly kind: 'none' }
  | { readonly kind: 'message'; readonly messageName: Expression }
  | {
    readonly kind: 'signal'; readonly signalName: Expression;
    /** a throwing one's camunda:in: what the signal carries to the events it reaches and the instances it starts */
    readonly payload?: PassedIn;
  }
  /** errorCode absent = catch-all (a boundary or event sub-process start catching every error) */
  | {
    readonly kind: 'error'; readonly errorCode?: string;
    /** camunda:errorMessage of the error, which may hold expressions: evaluated where an end event throws it */
    readonly errorMessage?: Expression;
    /** catching: camunda:errorCodeVariable / errorMessageVariable, which receive what was caught */
    readonly codeVariable?: string; readonly messageVariable?: string;
  }
  | {
    readonly kind: 'escalation'; readonly escalationCode?: string;
    /** catching: camunda:escalationCodeVariable, which receives the code of what was caught */
    readonly codeVariable?: string;
  }
  | { readonly kind: 'terminate' }
  /** a transaction's cancel end event, and the cancel boundary event that catches it */
  | { readonly kind: 'cancel' }
  | { readonly kind: 'timer'; readonly timeDate?: Expression; readonly timeDuration?: Expression; readonly timeCycle?: Expression }
  | {
    readonly kind: 'conditional'; readonly condition: Expression;
    /** camunda:variableName / variableEvents: only changes of these variables, of these kinds, evaluate it again */
    readonly variableNames?: readonly string[]; readonly variableEvents?: readonly VariableEventKind[];
  }
  | { readonly kind: 'compensate'; readonly activityRef?: string; readonly waitForCompletion: boolean }
  | { readonly kind: 'link'; readonly linkName: string };

/** how a variable changed, as conditional events filter changes (Camunda 7's variableEvents) */
export type VariableEventKind = 'create' | 'update' | 'delete';

export interface IoMapping {
  /** evaluated in the source scope */
  readonly source: Expression;
  readonly target: string;
}

export interface UserTaskSpec {
  readonly assignee?: Expression;
  /** each entry may evaluate to a string (comma list) or a list */
  readonly candidateUsers: readonly Expression[];
  readonly candidateGroups: readonly Expression[];
  readonly dueDate?: Expression;
  readonly followUpDate?: Expression;
  readonly priority?: Expression;
  readonly formKey?: string;
  /** a camunda:formKey holding `${…}`, as Camunda 7 evaluates it for each task it creates; formKey keeps it as written */
  readonly formKeyExpression?: Expression;
  readonly formFields: readonly FormField[];
  /** the form-js schema of a form embedded in the model (zeebe:userTaskForm), or of the linked one */
  readonly formSchema?: Readonly<Record<string, unknown>>;
  readonly formLink?: FormLink;
}

/**
 * A form deployed beside the process rather than held in it (zeebe:formDefinition formId, camunda:formRef),
 * found by its id at deployment: the version the binding names (the latest, the one deployed with the
 * process, a version number or a version tag).
 */
export interface FormLink {
  readonly formId: string;
  readonly binding: 'latest' | 'deployment' | 'version' | 'versionTag';
  readonly version?: number;
  readonly versionTag?: string;
}

/** A task worked outside the engine: camunda:type="external" + camunda:topic, or zeebe:taskDefinition. */
export interface ExternalTaskSpec {
  readonly topic: Expression;
  /** zeebe:taskDefinition retries, or the R<n> of camunda:failedJobRetryTimeCycle */
  readonly retries?: number;
  readonly retryTimeCycle?: string;
  /** camunda:taskPriority; absent: the process's */
  readonly priority?: Expression;
}

export interface ScriptSpec {
  /** only FEEL is run ('feel', or a zeebe:script expression) */
  readonly format: string;
  readonly script: Expression;
  readonly resultVariable?: string;
}

/** camunda:in / camunda:out: one variable passed to the called instance, or back from it */
export interface VariablePassing {
  readonly target: string;
  /** `source`: a variable, passed with its type (null when it is not set) */
  readonly variable?: string;
  /** `sourceExpression`, evaluated where the variable comes from */
  readonly expression?: Expression;
  /** in: read from the call activity's local variables only; out: written as its local variables */
  readonly local: boolean;
}

/** which variables pass wholesale: none, every visible one, or the call activity's local ones only */
export type PassAll = 'none' | 'all' | 'local';

/**
 * What the expressions on a call activity itself (called element, version tag, tenant id, business key)
 * may read of Camunda's execution object: the calling execution's.
 */
export const CALLING_EXECUTION = ['processBusinessKey', 'processInstanceId', 'id', 'activityId'] as const;

/**
 * The decision a business rule task evaluates: Camunda 7's camunda:decisionRef (with its binding, tenant
 * and camunda:mapDecisionResult), or Zeebe's zeebe:calledDecision, whose result variable takes the
 * decision's output itself (`mapping: 'output'`).
 */
export interface DecisionRefSpec {
  readonly decisionKey: Expression;
  readonly binding: 'latest' | 'deployment' | 'version' | 'versionTag';
  readonly version?: number;
  readonly versionTag?: Expression;
  /** camunda:decisionRefTenantId: the tenant to look the decision up in (else the instance's) */
  readonly tenantId?: Expression;
  readonly resultVariable?: string;
  readonly mapping: 'singleEntry' | 'singleResult' | 'collectEntries' | 'resultList' | 'output';
}

/** Camunda 7 camunda:in: the variables, and the business key, handed to another instance */
export interface PassedIn {
  readonly inputs: readonly VariablePassing[];
  /** camunda:in variables="all" (local), zeebe propagateAllParentVariables */
  readonly inputAll: PassAll;
  /** camunda:in businessKey; `execution.processBusinessKey` is the business key of the instance it comes from */
  readonly businessKey?: Expression;
}

export interface CalledElementSpec extends PassedIn {
  readonly processKey: Expression;
  readonly binding: 'latest' | 'deployment' | 'version' | 'versionTag';
  readonly version?: number;
  readonly versionTag?: Expression;
  /** camunda:calledElementTenantId: the tenant to look the called process up in (else the caller's) */
  readonly tenantId?: Expression;
  readonly outputs: readonly VariablePassing[];
  /**
   * out: camunda:out variables="all" (local), zeebe propagateAllChildVariables; Zeebe output mappings
   * read the child's variables as locals of the call activity, and only what they map goes on
   */
  readonly outputAll: PassAll;
  /**
   * Camunda 7: the variables pass back too when an error or escalation the called instance throws leaves
   * it through the call activity; Zeebe passes them back only when the called instance completes
   */
  readonly outputsOnThrow: boolean;
}

export interface MultiInstanceSpec {
  readonly sequential: boolean;
  readonly loopCardinality?: Expression;
  readonly collection?: Expression;
  readonly elementVariable?: string;
  readonly completionCondition?: Expression;
  /** zeebe outputCollection / outputElement */
  readonly outputCollection?: string;
  readonly outputElement?: Expression;
  /** Camunda 7 async continuations of each inner instance (on the loop characteristics; the activity's own are its body's) */
  readonly asyncBefore?: boolean;
  readonly asyncAfter?: boolean;
}

/** standardLoopCharacteristics, as the BPMN specification runs them */
export interface StandardLoopSpec {
  /** evaluated after each iteration, or before each when testBefore; the loop goes on while it holds */
  readonly condition?: Expression;
  readonly testBefore: boolean;
  /** iterations at most */
  readonly maximum?: number;
}

export interface FlowNode {
  readonly id: string;
  readonly name: string;
  readonly kind: ElementKind;
  /** id of the enclosing process or sub-process */
  readonly scopeId: string;
  /** sequence flow ids, in document order */
  readonly incoming: readonly string[];
  readonly outgoing: readonly string[];
  readonly defaultFlow?: string;
  readonly eventDefinition: EventDefinition;
  /** boundary events: the activity they are attached to */
  readonly attachedTo?: string;
  /** boundary events: interrupting (default true) */
  readonly cancelActivity: boolean;
  /** activities: ids of boundary events attached to them, in document order */
  readonly boundaryEvents: readonly string[];
  readonly asyncBefore: boolean;
  readonly asyncAfter: boolean;
  /**
   * camunda:failedJobRetryTimeCycle of an element whose jobs are its own (async continuations, timers);
   * an external task or HTTP connector keeps its own in its spec
   */
  readonly jobRetries?: { readonly retries: number; readonly retryTimeCycle: string };
  readonly inputs: readonly IoMapping[];
  readonly outputs: readonly IoMapping[];
  readonly documentation?: string;
  readonly userTask?: UserTaskSpec;
  readonly externalTask?: ExternalTaskSpec;
  /** a call the engine makes itself: camunda:connector http-connector, or Zeebe's REST connector */
  readonly httpConnector?: HttpConnectorSpec;
  readonly script?: ScriptSpec;
  readonly calledElement?: CalledElementSpec;
  /** business rule tasks: the decision they evaluate, in the command that reaches them */
  readonly decision?: DecisionRefSpec;
  readonly multiInstance?: MultiInstanceSpec;
  readonly standardLoop?: StandardLoopSpec;
  /** sub-processes: an event sub-process (triggeredByEvent) */
  readonly triggeredByEvent: boolean;
  /** start events of event sub-processes: interrupting (default true) */
  readonly isInterrupting: boolean;
  /** sub-processes and the process: the none start event of this scope */
  readonly noneStartEvent?: string;
  /** a compensation handler (isForCompensation): run only to compensate an activity, never reached by a flow */
  readonly isForCompensation: boolean;
  /** activities: the handler their compensation boundary event is associated with */
  readonly compensationHandler?: string;
}

export interface SequenceFlow {
  readonly id: string;
  readonly name: string;
  readonly sourceRef: string;
  readonly targetRef: string;
  readonly condition?: Expression;
}

export interface Scope {
  /** the process id or the sub-process id */
  readonly id: string;
  /** flow nodes directly inside this scope, in document order (boundary events included) */
  readonly children: readonly string[];
  readonly noneStartEvent?: string;
  /** event sub-processes directly inside this scope */
  readonly eventSubProcesses: readonly string[];
  /**
   * For every flow node of the scope, the flow nodes of the same scope it can reach by sequence flows
   * or through its boundary events (itself excluded unless on a cycle). The inclusive join uses it.
   */
  readonly reachable: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface ProcessModel {
  /** the BPMN process id: the definition key */
  readonly id: string;
  readonly name: string;
  readonly versionTag?: string;
  readonly documentation?: string;
  /** camunda:historyTimeToLive: days an ended instance is kept; absent: the engine's default */
  readonly historyTimeToLiveDays?: number;
  readonly elements: ReadonlyMap<string, FlowNode>;
  readonly flows: ReadonlyMap<string, SequenceFlow>;
  /** keyed by process id and sub-process id */
  readonly scopes: ReadonlyMap<string, Scope>;
  /** the process's none start event (absent when it starts only by message, timer or signal) */
  readonly noneStartEvent?: string;
  /** camunda:initiator of a start event of the process: the variable every new instance gets its starting user in */
  readonly initiatorVariable?: string;
  /** camunda:taskPriority of the process: that of its external tasks that name none */
  readonly taskPriority?: Expression;
  /** message start events of the process (not of event sub-processes) */
  readonly messageStartEvents: readonly string[];
  readonly signalStartEvents: readonly string[];
  readonly timerStartEvents: readonly string[];
  /** conditional start events of the process: an instance starts at one when its condition holds for variables given to evaluate */
  readonly conditionalStartEvents: readonly string[];
  /** the none start event's form: declared fields (camunda:formData), or an embedded form-js form's */
  readonly startForm?: { readonly key: string; readonly fields: readonly FormField[]; readonly schema?: Readonly<Record<string, unknown>>; readonly link?: FormLink };
}

export interface CompiledDefinitions {
  /** executable processes of the file, in document order */
  readonly processes: readonly ProcessModel[];
  /** whether an expression of the file is open-ended (evaluated in the time-limited worker) */
  readonly openEnded: boolean;
}

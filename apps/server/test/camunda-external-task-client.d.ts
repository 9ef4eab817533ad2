// The part of Camunda's external task client (which ships no types) that the tests use.
declare module 'camunda-external-task-client-js' {
  export class Variables {
    get(name: string): unknown;
    getAll(): Record<string, unknown>;
    set(name: string, value: unknown): this;
    setTyped(name: string, typed: { type: string; value: unknown; valueInfo?: Record<string, unknown> }): this;
  }
  export interface Task {
    id: string;
    topicName: string;
    businessKey: string | null;
    processInstanceId: string;
    retries: number | null;
    variables: Variables;
  }
  export interface TaskService {
    complete(task: Task, variables?: Variables): Promise<void>;
    handleFailure(task: Task, options: { errorMessage?: string; errorDetails?: string; retries?: number; retryTimeout?: number }): Promise<void>;
    handleBpmnError(task: Task, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void>;
    extendLock(task: Task, newDuration: number): Promise<void>;
  }
  export class Client {
    constructor(options: { baseUrl: string; workerId?: string; asyncResponseTimeout?: number; interval?: number; maxTasks?: number; lockDuration?: number; autoPoll?: boolean; use?: unknown });
    subscribe(topic: string, handler: (args: { task: Task; taskService: TaskService }) => Promise<void>): { unsubscribe(): void };
    start(): void;
    stop(): void;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}

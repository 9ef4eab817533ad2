/** Thrown by a service handler: the business error `code` is raised at the task, for a boundary event to catch. */
export class BpmnError extends Error {
  constructor(readonly code: string, message?: string, readonly variables?: Record<string, unknown>) {
    super(message ?? code);
    this.name = 'BpmnError';
  }
}

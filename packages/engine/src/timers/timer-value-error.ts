/**
 * A timer or retry value the engine cannot schedule: not text, not ISO 8601 / cron, negative, or never
 * due. The message names the value and what was expected, since it ends up in an incident.
 */
export class TimerValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimerValueError';
  }
}

// Timers: when a BPMN timer (date, duration, cycle) fires, and how long a failed job waits before its retry.
export { nextFiring, scheduleTimer, TimerValueError, type Firing, type TimerKind } from './timer-schedule.js';
export { parseRetryCycle, retryDelayMs, type RetryPolicy } from './retry-cycle.js';

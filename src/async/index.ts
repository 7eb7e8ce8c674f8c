/** The event core: typed indexed events, the scheduler, and routine helpers. */
export { CancelledError, TimeoutError } from './errors';
export type { Event, EventOf, EventType, EventTypeOptions, IndexValue, Matcher } from './event';
export { defineEvent, EventTypeError, Priority } from './event';
export type { Routine } from './routines';
export { race, runAll, sleep, throwIfCancelled, withTimeout } from './routines';
export type { SchedulerOptions, Subscription, WaitOptions } from './scheduler';
export { Scheduler } from './scheduler';

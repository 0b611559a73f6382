export { EventBus, type EventListener } from './event-bus.js';
export { CancelledError } from '../runtime/cancelled.js';
export { JobManager, type JobControl, type JobRunner } from './job-manager.js';

export { EventBus, type EventListener } from './event-bus.js';
export { JobManager, CancelledError, type JobControl, type JobRunner } from './job-manager.js';

export { startWorker } from './worker.js';
export { mulberry32 } from './mulberry32.js';
export { runJobWorker, type JobWorkerOptions, type JobWorkerMessage } from './job-worker.js';

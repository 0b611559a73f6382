export { startWorker } from './worker.js';

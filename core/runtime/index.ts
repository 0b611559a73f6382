export { startWorker } from './worker.js';
export { mulberry32 } from './mulberry32.js';

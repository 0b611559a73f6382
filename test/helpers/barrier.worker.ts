import { parentPort, workerData } from 'node:worker_threads';
import { arriveAndWait } from '../../core/ml/reduce-scatter.js';

// One party of data-parallel training's barrier (test/unit/ml/reduce-scatter.test.ts): arrives (failed or not),
// waits for the others and posts whether the step may be applied.
const { sync, parties, failed } = workerData as { sync: SharedArrayBuffer; parties: number; failed: boolean };
parentPort!.postMessage(arriveAndWait(new Int32Array(sync), parties, failed));

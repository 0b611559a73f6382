export { startWorker, runWorker, leaseThreads, leaseFreeThreads, liveWorkers, workerCap, setWorkerCap, type RunWorkerOptions, type WorkerMessage, type ThreadLease } from './worker.js';
export { WorkerPool, type WorkerPoolOptions } from './worker-pool.js';
export { CancelledError, cancellationOf } from './cancelled.js';
export { mulberry32, createRng, createForkingRng, deriveSeed, childSeed, shuffled, permutation, type Rng, type ForkingRng, type RandomStream } from './random.js';
export { physicalCores, defaultTrainWorkers, trainWorkersFor } from './cores.js';

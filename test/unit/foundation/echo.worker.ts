import { parentPort, workerData } from 'node:worker_threads';

// TypeScript-only syntax on purpose: proves the worker really went through the TS loader.
const values: number[] = (workerData as { values: number[] }).values;
const sum = values.reduce((a: number, b: number) => a + b, 0);
parentPort!.postMessage({ sum, typed: true satisfies boolean });

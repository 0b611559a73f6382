import { parentPort, workerData } from 'node:worker_threads';
import { serveTasks } from '../../../core/runtime/worker-pool.js';

// Fixture for the worker tests. As a pool worker: squares numbers (after `offset` from workerData), posting
// one progress message per task; a negative number fails. As a one-shot worker (workerData.oneShot):
// posts progress, then done — or waits for ever when `hang` is set, to be cancelled.
const data = workerData as { offset?: number; oneShot?: { value: number; hang?: boolean } };
if (data.oneShot) {
  const { value, hang } = data.oneShot;
  parentPort!.postMessage({ type: 'progress', value });
  if (!hang) parentPort!.postMessage({ type: 'done', value: value * value });
  else setInterval(() => undefined, 1000);
} else {
  serveTasks<number, number, string>(async (d) => {
    const offset = (d as { offset: number }).offset;
    return {
      info: { threadOffset: offset },
      run: (x, progress) => {
        if (x < 0) throw new RangeError(`negative: ${x}`);
        progress(`squaring ${x}`);
        return (x + offset) ** 2;
      },
    };
  });
}

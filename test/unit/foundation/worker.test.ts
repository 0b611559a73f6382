import { describe, expect, it } from 'vitest';
import { startWorker } from '../../../core/runtime/worker.js';

describe('startWorker', () => {
  it('runs a TypeScript worker module from sources and passes workerData both ways', async () => {
    const w = startWorker(new URL('./echo.worker.js', import.meta.url), { workerData: { values: [1, 2, 3.5] } });
    const reply = await new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    await w.terminate();
    expect(reply).toEqual({ sum: 6.5, typed: true });
  });

  it('names a missing module', () => {
    expect(() => startWorker(new URL('./nope.worker.js', import.meta.url))).toThrow(/worker module not found: .*nope\.worker\.js/);
  });
});

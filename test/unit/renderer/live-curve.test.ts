import { describe, expect, it } from 'vitest';
import { addEpoch, hasGap, withStored, type LiveCurve } from '../../../renderer/src/components/train/live-curve.js';
import type { EpochLog } from '../../../core/api/index.js';

const log = (epoch: number): EpochLog => ({ epoch, loss: 1 / epoch, valMae: null, seconds: 1, etaS: 0 });
const ev = (runId: number, runName: string, epoch: number) => ({ runId, runName, log: log(epoch) });

describe('live training curve from one-epoch events', () => {
  it('accumulates epochs of one run in order, each once; a new split or run starts a new curve', () => {
    let c: LiveCurve | null = null;
    for (const e of [1, 2, 3, 3]) c = addEpoch(c, ev(7, 'split 1', e));
    expect(c!.logs.map((l) => l.epoch)).toEqual([1, 2, 3]);
    expect(hasGap(c!)).toBe(false);
    c = addEpoch(c, ev(7, 'split 2', 1));
    expect(c).toEqual({ runId: 7, runName: 'split 2', logs: [log(1)] });
    c = addEpoch(c, ev(8, 'split 2', 1));
    expect(c.runId).toBe(8);
  });
  it('a view opened mid-run sees the gap and fills it from the stored history', () => {
    let c = addEpoch(null, ev(3, 'final', 5));
    c = addEpoch(c, ev(3, 'final', 6));
    expect(hasGap(c)).toBe(true);
    const filled = withStored(c, [1, 2, 3, 4, 5].map(log));
    expect(filled.logs.map((l) => l.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(hasGap(filled)).toBe(false);
  });
});

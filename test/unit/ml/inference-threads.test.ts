import { describe, it, expect } from 'vitest';
import { patchesWorthAThread } from '../../../core/ml/parallel-inference.js';
import { multiplyAdds, presetArchitecture } from '../../../core/ml/architecture.js';

describe('how many patches a TTA inference thread must get to be worth its start-up', () => {
  it('the paper model at 224 px: every patch (≈ 2 s of one core each), so an 85-point prediction uses every core', () => {
    expect(patchesWorthAThread(multiplyAdds(presetArchitecture('paper')))).toBe(1);
  });

  it('compact: 48 as before (0.01 G multiply-adds per image: a thread’s start-up outweighs its share)', () => {
    expect(patchesWorthAThread(multiplyAdds(presetArchitecture('compact')))).toBe(48);
  });

  it('in between it follows the cost: the paper layers at 64 px (≈ 0.33 G per image) need a few patches per thread', () => {
    const ma = multiplyAdds(presetArchitecture('paper', { inputSize: 64 }));
    expect(ma).toBeGreaterThan(3e8);
    expect(ma).toBeLessThan(4e8);
    expect(patchesWorthAThread(ma)).toBe(Math.ceil(1.5e10 / (8 * ma)));
    expect(patchesWorthAThread(ma)).toBeGreaterThan(1);
    expect(patchesWorthAThread(ma)).toBeLessThan(48);
  });
});

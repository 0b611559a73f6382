import { describe, expect, it } from 'vitest';
import { readingsCoverage } from '../../../core/segregation/cnn/readings-coverage.js';
import { english } from '../../../core/runtime/english.js';

describe("a billet's readings inside their intervals: the share says its own precision", () => {
  it('2 of 2 is not a confirmed coverage: 100 % with its Wilson 90 % interval 43–100 % (test fails before: "2 of 2 (100 %)")', () => {
    const pt = (actual: number) => ({ actual, interval: { lo: 0.4, hi: 0.5 }, sample: 'out-of-sample' as const });
    const [two] = readingsCoverage([pt(0.45), pt(0.46)], 0.1);
    expect(english(two.phrase)).toBe('readings inside their 90 % intervals: 2 of 2 (100 %; Wilson 90 % 43–100 %), out-of-sample (an image never trained on)');
    // 77 of 85: the interval narrows with the count
    const many = readingsCoverage([...Array.from({ length: 77 }, () => pt(0.45)), ...Array.from({ length: 8 }, () => pt(0.6))], 0.1)[0];
    expect(english(many.phrase)).toBe('readings inside their 90 % intervals: 77 of 85 (91 %; Wilson 90 % 84–95 %), out-of-sample (an image never trained on)');
  });
});

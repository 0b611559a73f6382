import { describe, it, expect } from 'vitest';
import { samplePointLabeller, pooledSample } from '../../../core/segregation/cnn/sample-label.js';

const trained = {
  billets: [
    { id: 1, imageHash: 'aaa' },
    { id: 2, imageHash: null },
  ],
  trainPoints: [{ billetId: 1, xMm: 10, yMm: -5 }],
  testPoints: [{ billetId: 1, xMm: 20, yMm: 0 }],
};

describe('sample labels', () => {
  it('decides by image content hash and point position, not by billet id', () => {
    // Billet 7 is a re-import of billet 1's image: same hash, new id.
    const copy = samplePointLabeller(trained, { id: 7, imageHash: 'aaa' });
    expect(copy({ xMm: 10, yMm: -5 })).toBe('in-sample');
    expect(copy({ xMm: 20, yMm: 0 })).toBe('held-out');
    expect(copy({ xMm: 20.001, yMm: 0 })).toBe('in-sample'); // another position on a trained image: not independent
    const other = samplePointLabeller(trained, { id: 8, imageHash: 'bbb' });
    expect(other({ xMm: 10, yMm: -5 })).toBe('out-of-sample');
    // The training billet itself re-imaged (new hash) keeps the readings the model learnt.
    expect(samplePointLabeller(trained, { id: 1, imageHash: 'ccc' })({ xMm: 10, yMm: -5 })).toBe('in-sample');
    // Two billets without a section image are not "the same image".
    expect(samplePointLabeller(trained, { id: 9, imageHash: null })({ xMm: 10, yMm: -5 })).toBe('out-of-sample');
  });

  it('pools to the least independent label present', () => {
    expect(pooledSample(['out-of-sample', 'held-out'])).toBe('held-out');
    expect(pooledSample(['held-out', 'in-sample', 'out-of-sample'])).toBe('in-sample');
    expect(pooledSample(['out-of-sample'])).toBe('out-of-sample');
  });
});

import { describe, expect, it } from 'vitest';
import { ancestorPointCount, withAncestorsPhrase, type AncestorTraining } from '../../../core/segregation/cnn/training-points.js';
import { phrase } from '../../../core/api/phrase.js';
import { english } from '../../../core/runtime/english.js';

/**
 * Review s18 (h): a fine-tune's ancestors' training points were summed per model, so a grandparent and parent that
 * both trained on billet 3's points said those points twice. The grandparent trained on 60 points of billet 3; the
 * parent, fine-tuned from it, on 40 of the same and 25 of billet 4: 60 + 25 = 85 distinct (billet, point), not 125.
 */
const at = (billetId: number, i: number) => ({ billetId, xMm: -100 + 2.5 * i, yMm: 0.1 * i });
const grandparent: AncestorTraining = { id: 1, name: 'M1', trainPoints: Array.from({ length: 60 }, (_, i) => at(3, i)), billets: ['B3'] };
const parent: AncestorTraining = { id: 2, name: 'M2', trainPoints: [...Array.from({ length: 40 }, (_, i) => at(3, i)), ...Array.from({ length: 25 }, (_, i) => at(4, i))], billets: ['B3', 'B4'] };

describe("a fine-tune's ancestors' training points: distinct (billet, point), not a sum per model", () => {
  it('60 + (40 shared + 25 new) = 85 distinct, and the words say 85', () => {
    expect(ancestorPointCount([parent, grandparent])).toBe(85);
    // the same position on another billet is another point
    expect(ancestorPointCount([{ ...grandparent, trainPoints: [at(3, 0), at(4, 0), at(3, 0)] }])).toBe(2);
    const own = phrase('carbonFigures.trainingPointsUnknown', { points: 10, billets: 'B5' });
    expect(english(withAncestorsPhrase(own, [parent, grandparent], true))).toContain('M2 (#2) ← M1 (#1), whose weights it was fine-tuned from, trained on 85 points of B3, B4');
  });
});

import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { trainedCnnFixture, CNN_FIXTURE_TIMEOUT_MS, type CnnFixture } from '../../helpers/cnn-fixture.js';
import type { BilletPrediction } from '../../../core/api/methods/cnn.js';
import { intervalFor } from '../../../core/ml/conformal.js';
import { modelPointPrediction } from '../../../core/services/cnn/predict.js';

// Counts the calls other modules make to the one definition (predict.ts's own calls are inside its module, not counted):
// the map source must make each cell through it, not through a blend of its own that could drift from it.
vi.mock('../../../core/services/cnn/predict.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../core/services/cnn/predict.js')>();
  return { ...real, modelPointPrediction: vi.fn(real.modelPointPrediction) };
});

/**
 * Review s18 (j): the predicted map's source made its own TTA/texture blend instead of calling modelPointPrediction,
 * the one definition of a patch's prediction. A map cell centred on a measured point is the same patch as the point
 * `predict` shows, so its mean, TTA sd and interval (the map's calibration applied to the cell) must be the point's.
 */
let fixture: CnnFixture;
let pred: BilletPrediction;

beforeAll(async () => {
  fixture = await trainedCnnFixture();
  const job = await fixture.api['cnn.predict']({ modelId: fixture.modelId, billetId: fixture.billetId });
  const end = await fixture.ctx.jobs.wait(job.id);
  if (end.state !== 'done') throw new Error(`predict ${end.state}: ${end.error?.message}`);
  pred = end.result as BilletPrediction;
}, CNN_FIXTURE_TIMEOUT_MS);

afterAll(async () => {
  await fixture?.dispose();
});

describe('predicted map: a cell at a measured point is that point’s prediction', () => {
  it('mean, sd and interval of every unmasked cell equal predict’s for the same patch', async () => {
    const src = await fixture.ctx.services.cnn.mapPredictor({ modelId: fixture.modelId, billetId: fixture.billetId });
    try {
      vi.mocked(modelPointPrediction).mockClear();
      const cells = await src.predictor(pred.points.map((p) => ({ xMm: p.xMm, yMm: p.yMm })), new AbortController().signal);
      const open = pred.points.map((p, i) => ({ p, c: cells[i] })).filter(({ c }) => !c.masked);
      console.log(`map cells at the ${pred.points.length} points: ${open.length} unmasked`);
      expect(vi.mocked(modelPointPrediction)).toHaveBeenCalledTimes(open.length);
      // the demo billet's points lie on the section: all but a few patches pass the quality gate
      expect(open.length).toBeGreaterThan(pred.points.length / 2);
      expect(src.calibration).toEqual(pred.calibration);
      for (const { p, c } of open) {
        expect(c.mean).toBeCloseTo(p.mean, 9);
        expect(c.sd).toBeCloseTo(p.sd, 9);
        const iv = intervalFor(c.mean, src.calibration!, c.sd);
        expect(iv.lo).toBeCloseTo(p.interval!.lo, 9);
        expect(iv.hi).toBeCloseTo(p.interval!.hi, 9);
      }
    } finally {
      await src.dispose?.();
    }
  }, 5 * 60_000);
});

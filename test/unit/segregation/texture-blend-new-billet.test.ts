import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseModelFixture, loadVariant } from '../../helpers/base-model-fixture.js';
import { createModelsRepo } from '../../../core/store/repos/models-repo.js';
import { modelScaleOf } from '../../../core/segregation/cnn/scale.js';
import { normalisePatch } from '../../../core/ml/input-norm.js';
import { predictTtaInWorkers } from '../../../core/ml/parallel-inference.js';
import { blendValue, predictDarkFraction } from '../../../core/segregation/cnn/texture-blend.js';
import { expectedMaeByK } from '../../../core/segregation/fewer-points/index.js';
import type { TargetScaling } from '../../../core/ml/tta.js';

/**
 * Issue 11 §6: the texture blend is what the "measure fewer points" model predicts a NEW billet with. The base
 * billet's model (compact, 32 px, seed 42: test/helpers/base-model-fixture.ts) is applied to a low-carbon
 * billet; its predictions are compared with those of its own CNN alone (the same network's TTA mean on the same
 * patches), through the held-out K-curve the workflow reports (K points proposed, level/slope from their
 * readings, MAE over the other points, 8 seeded draws).
 */
/**
 * Measured with this fixture (bench/fewer-points.ts, 20 draws): K = 0 MAE 0.0155 (CNN) → 0.0117 (blend), K = 8
 * 0.0103 → 0.0095; the margins asserted are about half of that. With the model the Winograd training kernels make
 * from the same seed (task 20-A; this test's 8 draws): K = 0 0.0154 → 0.0118, K = 8 0.0110 → 0.0103.
 */
const BLEND_K0_GAIN = 0.002;
const BLEND_K8_GAIN = 0.0003;

let fx: Awaited<ReturnType<typeof baseModelFixture>>;
let billetId: number;

beforeAll(async () => {
  fx = await baseModelFixture();
  billetId = await loadVariant(fx.ctx, 'low-carbon', 11);
}, 30 * 60_000);

afterAll(async () => fx?.dispose());

describe('the texture blend on a new billet', () => {
  it('is chosen on held-out points, is what prediction returns, and lowers the K-point MAE below the CNN alone', async () => {
    const blend = fx.trained.metrics.blend!;
    expect(blend).toBeTruthy();
    expect(blend.cnnWeight).toBeGreaterThan(0);
    expect(blend.cnnWeight).toBeLessThan(1);
    expect(blend.heldOut.points).toBe(63);
    expect(blend.heldOut.blendMae).toBeLessThan(blend.heldOut.cnnMae);

    const rec = createModelsRepo(fx.ctx.db).get(fx.modelId);
    const pred = await fx.ctx.services.cnn.predict(fx.modelId, billetId, {});
    expect(pred.sample).toBe('out-of-sample');
    const { points } = await fx.ctx.services.cnn.loadBilletPoints(billetId, { inputSize: 32, scale: modelScaleOf(rec.hyper), requireReadings: false });
    const inputs = points.map((p) => normalisePatch(p.patch, 'percentile'));
    const cnn = await predictTtaInWorkers(join(fx.dataDir, rec.path), inputs, 32, 1, (rec.hyper as { targetScaling: TargetScaling }).targetScaling, { backend: 'wasm' });
    // prediction = w · CNN + (1 − w) · texture, point by point; the predicted map reads the model alike
    for (const i of [0, 40, 84]) expect(pred.points[i].mean).toBeCloseTo(blendValue(blend, cnn.mean[i], predictDarkFraction(blend.texture, inputs[i])), 6);
    // and it says what it blended: the CNN's TTA mean and the texture line's value at each point
    for (const i of [0, 40, 84]) {
      expect(pred.points[i].components!.cnn).toBeCloseTo(cnn.mean[i], 6);
      expect(pred.points[i].components!.texture).toBeCloseTo(predictDarkFraction(blend.texture, inputs[i]), 12);
    }
    const src = await fx.ctx.services.cnn.mapPredictor({ modelId: fx.modelId, billetId });
    try {
      const [cell] = await src.predictor([{ xMm: points[40].xMm, yMm: points[40].yMm }], new AbortController().signal);
      expect(cell.masked).toBeNull();
      expect(cell.mean).toBeCloseTo(pred.points[40].mean, 5);
    } finally {
      await src.dispose?.();
    }

    const curve = (predicted: readonly number[]) =>
      expectedMaeByK(pred.points.map((p, i) => ({ label: p.label, xMm: p.xMm, yMm: p.yMm, predicted: predicted[i], reading: p.actual! })), { ks: [0, 8], draws: 8, seed: 1, priorSd: 0.01 }).rows;
    const [b0, b8] = curve(pred.points.map((p) => p.mean));
    const [c0, c8] = curve(cnn.mean);
    console.log(`low-carbon 11: weight ${blend.cnnWeight}; K=0 MAE CNN ${c0.mae.toFixed(4)} → blend ${b0.mae.toFixed(4)}; K=8 ${c8.mae.toFixed(4)} → ${b8.mae.toFixed(4)} (coverage ${b8.coverage.toFixed(2)})`);
    expect(b0.mae).toBeLessThan(c0.mae - BLEND_K0_GAIN);
    expect(b8.mae).toBeLessThan(c8.mae - BLEND_K8_GAIN);
    expect(b8.coverage).toBeGreaterThan(0.8);
  }, 10 * 60_000);
});

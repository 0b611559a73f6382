import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { backends } from './setup-backends.js';
import { gradCam, gradCamAllLayers, camOverlayPng } from '../../../core/ml/gradcam.js';
import { regionMeans, regionWilcoxon, darkRegionMask } from '../../../core/ml/region-analysis.js';
import { createRng } from '../../../core/runtime/random.js';

/** Fixed layer that zeroes everything outside the top-RIGHT quadrant (asymmetric, so a swapped x/y shows). */
class KeepTopRight extends tf.layers.Layer {
  static className = 'TestKeepTopRight';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const [, h, w] = x.shape as number[];
    return tf.tidy(() => {
      const rows = tf.less(tf.range(0, h), h / 2).reshape([1, h, 1, 1]);
      const cols = tf.greaterEqual(tf.range(0, w), w / 2).reshape([1, 1, w, 1]);
      return tf.mul(x, tf.cast(tf.logicalAnd(rows, cols), 'float32'));
    });
  }
}
tf.serialization.registerClass(KeepTopRight);

const S = 32;

function toyModel(): tf.Sequential {
  const m = tf.sequential();
  m.add(new KeepTopRight({ inputShape: [S, S, 1] } as never));
  const init = (s: number) => tf.initializers.glorotUniform({ seed: s });
  m.add(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2) }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.ones() }));
  return m;
}

beforeAll(async () => {
  await (await backends()).use('wasm');
});

describe('Grad-CAM', () => {
  it('on a toy model whose output depends only on the top-right quadrant, most activation lies there (every conv layer)', () => {
    const m = toyModel();
    const rng = createRng(3);
    const img = Float32Array.from({ length: S * S }, () => rng.next());
    const all = gradCamAllLayers(m, img);
    expect(all.map((r) => r.convLayer)).toEqual([1, 2]);
    for (const r of all) {
      let tr = 0;
      let total = 0;
      for (let y = 0; y < S; y++)
        for (let x = 0; x < S; x++) {
          const v = r.cam[y * S + x];
          total += v;
          if (y < S / 2 && x >= S / 2) tr += v;
        }
      expect(r.rawMax).toBeGreaterThan(0);
      expect(Math.max(...r.cam)).toBeCloseTo(1, 6);
      // Bilinear upsampling bleeds a little over the quadrant border; the bulk must be inside.
      expect(tr / total, `layer ${r.convLayer}`).toBeGreaterThan(0.85);
    }
    // The scalar Grad-CAM differentiates is the model output.
    const pred = (m.predict(tf.tensor4d(img, [1, S, S, 1])) as tf.Tensor).dataSync()[0];
    expect(all[0].prediction).toBeCloseTo(pred, 4);
    m.dispose();
  });

  it('an all-zero map is returned as zeros, not NaN', () => {
    const m = toyModel();
    const r = gradCam(m, new Float32Array(S * S), 1);
    expect(r.rawMax).toBe(0);
    expect(r.cam.every((v) => v === 0)).toBe(true);
    expect(() => gradCam(m, new Float32Array(S * S), 3)).toThrow(/conv layer must be 1..2/);
    m.dispose();
  });

  it('writes a PNG overlay of the patch size', async () => {
    const grey = Uint8Array.from({ length: 16 * 16 }, (_, i) => i % 256);
    const cam = Float32Array.from({ length: 16 * 16 }, (_, i) => (i % 16) / 15);
    const png = await camOverlayPng(grey, 16, cam);
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 16, 16, 3]);
    const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    // Right column is hottest: red dominates blue there; left column the reverse.
    expect(data[15 * 3]).toBeGreaterThan(data[15 * 3 + 2]);
    expect(data[2]).toBeGreaterThan(data[0]);
  });
});

describe('region analysis', () => {
  it('mean activation per region and a one-sided Wilcoxon signed-rank test over patches', () => {
    const mask = Uint8Array.from([1, 1, 0, 0]);
    expect(regionMeans([0.9, 0.7, 0.2, 0.4], mask)).toEqual({ inside: 0.8, outside: 0.30000000000000004 });
    const perPatch = [0.31, 0.28, 0.35, 0.3, 0.26, 0.33, 0.29, 0.32].map((inside, i) => ({ inside, outside: inside - 0.01 - 0.005 * i }));
    const t = regionWilcoxon(perPatch);
    // All 8 differences positive: W+ = 36, exact one-sided p = 1/2^8.
    expect(t.statistic).toBe(36);
    expect(t.pValue).toBeCloseTo(1 / 256, 6);
    const reversed = regionWilcoxon(perPatch.map((p) => ({ inside: p.outside, outside: p.inside })));
    expect(reversed.pValue).toBeGreaterThan(0.99);
  });

  it('Grad-CAM → dark mask → Wilcoxon over patches: small p when the model looks at dark pixels, ≈ 0.5 when it cannot tell, ≈ 1 when it looks at light ones', () => {
    // Fixed 1×1-conv models whose Grad-CAM is known in closed form: the dense head sums the feature map
    // with weight 1, so every channel weight is 1 and the map is relu(Σ filters) at each pixel.
    const pixelModel = (filters: { w: number; b: number }[]) => {
      const m = tf.sequential();
      m.add(tf.layers.conv2d({
        inputShape: [S, S, 1], filters: filters.length, kernelSize: 1, activation: 'relu',
        weights: [tf.tensor4d(filters.map((f) => f.w), [1, 1, 1, filters.length]), tf.tensor1d(filters.map((f) => f.b))],
      }));
      m.add(tf.layers.flatten());
      m.add(tf.layers.dense({ units: 1, useBias: false, kernelInitializer: tf.initializers.ones() }));
      return m;
    };
    const rng = createRng(17);
    const patches = Array.from({ length: 6 }, () => Float32Array.from({ length: S * S }, () => rng.next()));
    // Each patch and its negative: their dark masks are exact complements (no ties in random floats).
    const paired = patches.flatMap((p) => [p, p.map((v) => 1 - v)]);
    const regionTest = (m: tf.Sequential, images: Float32Array[]) =>
      regionWilcoxon(images.map((img) => regionMeans(gradCam(m, img, 1).cam, darkRegionMask(img))));

    const dark = pixelModel([{ w: -1, b: 1 }]); // map = 1 − x: higher on every dark pixel
    const onDark = regionTest(dark, paired);
    expect(onDark.n).toBe(12);
    expect(onDark.inside.mean).toBeGreaterThan(onDark.outside.mean + 0.4);
    expect(onDark.statistic).toBe(78); // all 12 differences positive: W+ = 12·13/2
    expect(onDark.pValue).toBeCloseTo(1 / 4096, 6);

    const light = pixelModel([{ w: 1, b: 0 }]); // map = x: higher on every light pixel
    expect(regionTest(light, paired).pValue).toBeGreaterThan(0.999);

    // Null: map = |x − 0.5| is the same for a patch and its negative while the mask flips, so the
    // differences come in ± pairs of equal size (up to float32 rounding, which decides which of the two
    // gets the higher rank): W+ = 36 + (0…6) around the centre 39 of the rank sum 78, and p ≈ 0.5.
    const blind = pixelModel([{ w: 1, b: -0.5 }, { w: -1, b: 0.5 }]);
    const none = regionTest(blind, paired);
    expect(none.statistic).toBeGreaterThanOrEqual(36);
    expect(none.statistic).toBeLessThanOrEqual(42);
    expect(none.pValue).toBeGreaterThan(0.35);
    expect(none.pValue).toBeLessThan(0.65);
    for (const m of [dark, light, blind]) m.dispose();
  });

  it('dark-pixel mask splits a patch at its median', () => {
    expect(Array.from(darkRegionMask([10, 200, 30, 250]))).toEqual([1, 0, 1, 0]);
  });
});

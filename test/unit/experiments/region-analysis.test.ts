import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { backends } from '../ml/setup-backends.js';
import { regionAnalysisExperiment, regionMeansPerLayer, representativePatches } from '../../../core/experiments/segregation/region-analysis.js';
import { regionWilcoxon } from '../../../core/ml/region-analysis.js';
import { memoryContext } from '../../../core/experiments/types.js';
import { createRng } from '../../../core/runtime/random.js';
import { tinySegregationData } from '../../helpers/tiny-segregation-data.js';

beforeAll(async () => {
  await (await backends()).use('wasm');
});

/** A one-filter 1×1 conv with a known response: activation = relu(w·pixel + b), then a positive linear read-out. */
function knownModel(size: number, w: number, b: number): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [size, size, 1], filters: 1, kernelSize: 1, activation: 'relu', weights: [tf.tensor4d([w], [1, 1, 1, 1]), tf.tensor1d([b])] }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 1, weights: [tf.fill([size * size, 1], 1 / (size * size)), tf.tensor1d([0])] }));
  return m;
}

function texturedPatches(n: number, size: number, seed: number): Uint8Array[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Uint8Array.from({ length: size * size }, () => Math.round(40 + 180 * rng.next())));
}

describe('the paper’s region analysis', () => {
  it('a network whose activation is higher on dark (interdendritic) pixels gives p < 0.05 for inter > core', () => {
    const patches = texturedPatches(8, 16, 3);
    const dark = knownModel(16, -1, 1); // relu(1 − x): larger where the etch is darker
    const l = regionMeansPerLayer(dark, patches)[0];
    const t = regionWilcoxon(l.perPatch.filter((r) => r !== null));
    expect(t.n).toBe(8);
    expect(t.inside.mean).toBeGreaterThan(t.outside.mean);
    expect(t.pValue).toBeLessThan(0.05);
    // Exact: all 8 differences positive → W = 36, one-sided p = 1/2⁸.
    expect(t.statistic).toBe(36);
    expect(t.pValue).toBeCloseTo(1 / 256, 6);
    dark.dispose();
  });

  it('the opposite network (activation on light dendrite cores) does not pass the test', () => {
    const patches = texturedPatches(8, 16, 3);
    const light = knownModel(16, 1, 0);
    const t = regionWilcoxon(regionMeansPerLayer(light, patches)[0].perPatch.filter((r) => r !== null));
    expect(t.inside.mean).toBeLessThan(t.outside.mean);
    expect(t.pValue).toBeGreaterThan(0.5);
    light.dispose();
  });

  it('eight representative patches are spread evenly over the carbon range', () => {
    const carbon = [0.5, 0.1, 0.3, 0.9, 0.7, 0.2, 0.8, 0.4, 0.6, 0.0];
    expect(representativePatches([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], carbon, 3)).toEqual([9, 0, 3]); // lowest, median-ish, highest
    expect(representativePatches([1, 2], carbon, 8)).toEqual([1, 2]);
  });

  it('on a tiny billet: one row per conv layer plus the paper’s row, p in [0, 1], and a resumed run computes nothing', async () => {
    const data = tinySegregationData({ n: 32, splits: 1 });
    const exp = regionAnalysisExperiment({ epochs: 4, patience: 4 });
    const store = new Map<string, unknown>();
    const r = await exp.run(data, memoryContext({ store }));
    const rows = r.tables[0].rows;
    expect(rows.length).toBe(2 * 2 + 1); // scratchArchitecture(16): 2 blocks × 2 convs, + paper
    for (const row of rows.slice(0, -1)) {
      if (row.cells.p !== null) {
        expect(row.cells.p as number).toBeGreaterThanOrEqual(0);
        expect(row.cells.p as number).toBeLessThanOrEqual(1);
      }
    }
    expect(rows.at(-1)!.paper).toMatchObject({ inter: 0.302, core: 0.264, p: 0.018 });
    expect(store.size).toBe(1);
    let computed = 0;
    const c = memoryContext({ store });
    const again = await exp.run(data, { ...c, unit: (k, f) => c.unit(k, async () => (computed++, f())) });
    expect(computed).toBe(0);
    expect(again.tables[0].rows.map((x) => x.cells.p)).toEqual(rows.map((x) => x.cells.p));
  });
});

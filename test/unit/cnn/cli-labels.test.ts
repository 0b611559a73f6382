import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyCnnFixture, CNN_FIXTURE_TIMEOUT_MS, type CnnFixtureRecord } from '../../helpers/cnn-fixture.js';
import { tempDir } from '../../helpers/temp.js';
import { runCli } from '../../helpers/cli.js';
import type { BilletPrediction } from '../../../core/api/methods/cnn.js';

// The CLI's text and JSON say what every fit was computed on, with both R² and the bias.
let dir: string;
let cleanup: () => void;
let record: CnnFixtureRecord;

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('ferrolab-cli-labels-'));
  record = await copyCnnFixture(dir);
}, CNN_FIXTURE_TIMEOUT_MS);

afterAll(() => cleanup?.());

describe('segregation predict (CLI)', () => {
  it('prints the sample label and, per label, both R² and the bias; the JSON carries the same', async () => {
    const args = ['segregation', 'predict', '--model', String(record.modelId), '--billet', String(record.billetId)];
    const json = await runCli(dir, ...args, '--json');
    expect(json.rc).toBe(0);
    const r = JSON.parse(json.out) as BilletPrediction;
    expect(r.sample).toBe('in-sample');
    expect(r.metricsBySample.map((m) => [m.sample, m.n])).toEqual([
      ['in-sample', 68],
      ['held-out', 17],
    ]);
    const text = await runCli(dir, ...args);
    expect(text.rc).toBe(0);
    expect(text.out).toContain('prediction as a whole: IN-SAMPLE (points or image the model trained on)');
    const held = r.metricsBySample[1];
    const sign = held.meanBias! >= 0 ? '+' : '';
    expect(text.out).toContain(
      `held-out (split test points of a training image): R² (Eq. 2, squared correlation) ${held.r2.toFixed(3)}, R² (coefficient of determination) ${held.r2Determination!.toFixed(3)}, mean bias (predicted − measured) ${sign}${held.meanBias!.toFixed(4)} wt.%, MAE ${held.mae.toFixed(4)} wt.%`,
    );
    expect(text.out).not.toMatch(/out-of-sample/);
    // Beside each label's MAE, the baseline that knows no image — the training mean at every point — on the same
    // points (the text gave a bare MAE), and each point says what it is to the model (the table mixed them unmarked).
    // The training mean: of the readings of the points the stored (final) model trained on, as its training recorded them.
    const finalTrain = record.trained.metrics.final.trainPoints;
    const trainMean = finalTrain.reduce((a, p) => a + p.actual, 0) / finalTrain.length;
    expect(r.trainingMean).toBeCloseTo(trainMean, 12);
    const heldPts = r.points.filter((p) => p.sample === 'held-out');
    expect(held.baselineMae).toBeCloseTo(heldPts.reduce((a, p) => a + Math.abs(trainMean - p.actual!), 0) / heldPts.length, 12);
    expect(held.baselineMae!).toBeGreaterThan(held.mae); // the model beats knowing nothing on its held-out points
    expect(text.out).toContain(`MAE ${held.mae.toFixed(4)} wt.%, max deviation ${held.maxDeviation.toFixed(4)} wt.% (n = 17); baseline (the training mean ${trainMean.toFixed(4)} wt.% at every point, no image) MAE ${held.baselineMae!.toFixed(4)} wt.%`);
    expect(text.out).toContain('measured (wt.%)   point is to the model');
    const ph = heldPts[0];
    expect(text.out).toMatch(new RegExp(`\\n${ph.label} +${ph.mean.toFixed(4)} \\[[\\d., ]+\\] +${ph.actual!.toFixed(4)} +held-out\\n`));
    // Every point with its calibrated interval, the model's measured coverage beside it; no "± sd".
    expect(r.calibration).not.toBeNull();
    expect(text.out).toContain(r.intervalWords);
    // 3 random splits of 17 test points: 51 residuals of fewer distinct points (some held out twice), said as such
    expect(r.calibration!.coveragePoints).toBeLessThan(51);
    expect(r.intervalWords).toBe(`90 % interval, measured coverage ${r.calibration!.measuredCoverage!.toFixed(2)} on 51 held-out residuals of ${r.calibration!.coveragePoints} points (random splits hold some points out more than once; each residual counts)`);
    const p0 = r.points[0];
    expect(p0.interval!.hi - p0.interval!.lo).toBeCloseTo(2 * r.calibration!.quantile, 12);
    expect(text.out).toContain(`${p0.label.padEnd(7)} ${p0.mean.toFixed(4)} [${p0.interval!.lo.toFixed(4)}, ${p0.interval!.hi.toFixed(4)}]`);
    expect(text.out).not.toContain('± sd');
    const list = await runCli(dir, 'model', 'list');
    expect(list.out).toContain(r.intervalWords);
  }, CNN_FIXTURE_TIMEOUT_MS);
});

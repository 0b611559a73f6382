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
  }, CNN_FIXTURE_TIMEOUT_MS);
});

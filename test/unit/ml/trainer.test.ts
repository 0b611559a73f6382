import { describe, it, expect, beforeAll } from 'vitest';
import { backends } from './setup-backends.js';
import { buildModel, presetArchitecture } from '../../../core/ml/architecture.js';
import { trainRegressor, evaluateMae } from '../../../core/ml/trainer.js';
import { modelToArtifacts, modelFromArtifacts } from '../../../core/ml/model-io.js';
import { brightnessSet } from '../../helpers/brightness-set.js';

const arch = presetArchitecture('compact', { inputSize: 8, blocks: 2, baseFilters: 2, dense: [8], dropout: 0.2 });


beforeAll(async () => {
  await (await backends()).use('wasm');
});

describe('trainer', () => {
  it('early stopping ends `patience` epochs after the best validation epoch and restores that epoch’s weights', async () => {
    const model = buildModel(arch, 11);
    const train = brightnessSet(48, 1);
    const val = brightnessSet(16, 2, true); // learning the training relation makes validation worse
    const r = await trainRegressor(model, train, val, { epochs: 40, batchSize: 16, learningRate: 0.01, patience: 4, seed: 5 });
    const vals = r.history.map((h) => h.valMae!);
    const argmin = vals.indexOf(Math.min(...vals)) + 1;
    expect(r.stoppedEarly).toBe(true);
    expect(r.bestEpoch).toBe(argmin);
    expect(r.history.length).toBe(r.bestEpoch + 4);
    expect(r.restoredBest).toBe(true);
    const now = await evaluateMae(model, val);
    expect(now).toBeCloseTo(vals[r.bestEpoch - 1], 5);
    expect(Math.abs(now - vals[vals.length - 1])).toBeGreaterThan(1e-4);
    model.dispose();
  });

  it('learns, and the same seed replays the same loss curve and weights; another seed differs', async () => {
    const run = async (seed: number) => {
      const model = buildModel(arch, seed);
      const r = await trainRegressor(model, brightnessSet(48, 1), brightnessSet(16, 3), { epochs: 6, batchSize: 16, learningRate: 0.01, patience: 50, seed });
      const w = Array.from(model.getWeights()[0].dataSync());
      model.dispose();
      return { loss: r.history.map((h) => h.loss), val: r.history.map((h) => h.valMae), w };
    };
    const a = await run(21);
    const b = await run(21);
    const c = await run(22);
    expect(a.loss[5]).toBeLessThan(a.loss[0]);
    expect(b.loss).toEqual(a.loss);
    expect(b.val).toEqual(a.val);
    expect(b.w).toEqual(a.w);
    expect(c.loss).not.toEqual(a.loss);
  });

  it('stops with an AbortError between batches when cancelled, and reports per-epoch progress with an ETA', async () => {
    const model = buildModel(arch, 1);
    const ac = new AbortController();
    const logs: number[] = [];
    const p = trainRegressor(model, brightnessSet(48, 1), brightnessSet(16, 3), {
      epochs: 100, batchSize: 16, learningRate: 0.01, patience: 100, seed: 1, signal: ac.signal,
      onEpoch: (l) => {
        logs.push(l.etaS);
        if (l.epoch === 2) ac.abort();
      },
    });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(logs.length).toBe(2);
    expect(logs[1]).toBeGreaterThan(0);
    model.dispose();
  });

  it('a model survives the artifacts round trip with identical predictions', async () => {
    const model = buildModel(arch, 4);
    const set = brightnessSet(8, 9);
    const before = await evaluateMae(model, set);
    const copy = await modelFromArtifacts(await modelToArtifacts(model));
    expect(await evaluateMae(copy, set)).toBe(before);
    model.dispose();
    copy.dispose();
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBackend } from '../../../core/ml/backend.js';
import { augmentationTransforms, AUGMENTATIONS } from '../../../core/imaging/augment.js';
import { pointSamples, targetScaling } from '../../../core/segregation/cnn/dataset.js';
import { resolveTrainParams } from '../../../core/segregation/cnn/params.js';
import { Hyper } from '../../../core/api/methods/cnn.js';
import { augmentationAblationWith, PAPER_SUPP_TABLE_1 } from '../../../core/experiments/segregation/augmentation-ablation.js';
import type { SplitOutcome } from '../../../core/experiments/segregation/cnn-protocol.js';
import type { SegregationData } from '../../../core/experiments/types.js';
import { countingContext, syntheticSegregation } from './synthetic-segregation.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';

let data: SegregationData;

beforeAll(async () => {
  await ensureBackend('wasm');
  data = await syntheticSegregation(24, 16, 7, 2);
});

describe('switchable training augmentation', () => {
  it('none / rotation / mirror give exactly 1/8, 4/8, 2/8 of the samples of rotation + mirroring', () => {
    const patches = data.points.slice(0, 10).map((p) => p.clahe);
    const carbon = data.points.slice(0, 10).map((p) => p.carbon);
    const count = (a: (typeof AUGMENTATIONS)[number]) => pointSamples(patches, carbon, 16, 1, targetScaling(carbon), augmentationTransforms(a)).count;
    expect(count('both')).toBe(80);
    expect(count('none')).toBe(10);
    expect(count('rotation')).toBe(40);
    expect(count('mirror')).toBe(20);
    // `none` is the patch itself, untransformed.
    const one = pointSamples(patches.slice(0, 1), carbon.slice(0, 1), 16, 1, targetScaling(carbon), augmentationTransforms('none'));
    expect(Array.from(one.x, (v) => Math.round(v * 255))).toEqual(Array.from(patches[0]));
  });

  it('training requests default to both, record the choice, and refuse an unknown name', () => {
    expect(resolveTrainParams({ billetIds: [1], preset: 'compact' }).hyper.augment).toBe('both');
    expect(resolveTrainParams({ billetIds: [1], preset: 'compact', hyper: { augment: 'mirror' } }).hyper.augment).toBe('mirror');
    expect(() => resolveTrainParams({ billetIds: [1], preset: 'compact', hyper: { augment: 'flip' as never } })).toThrow(/augmentation must be one of none, rotation, mirror, both/);
    // The contract's enum is the domain's list.
    expect(Hyper.shape.augment.unwrap().options).toEqual([...AUGMENTATIONS]);
  });

  it('the CLI refuses an unknown --augment before training, naming the choices', async () => {
    const t = tempDir();
    try {
      const r = await runCli(t.dir, 'segregation', 'train', '--billet', '1', '--augment', 'flip');
      expect(r.rc).not.toBe(0);
      expect(r.err).toMatch(/--augment must be one of none, rotation, mirror, both, got "flip"/);
    } finally {
      t.cleanup();
    }
  });
});

describe('augmentation ablation (Supp. Table 1)', () => {
  it('trains the four variants on the same splits with 1, 4, 2, 8 copies per point, the paper’s values beside them, and resumes without training', async () => {
    const exp = augmentationAblationWith({ settings: { epochs: 2, patience: 2, baseFilters: 2, maxSplits: 2 } });
    const ctx = countingContext();
    const res = await exp.run(data, ctx);
    expect(ctx.computed).toHaveLength(8);
    const [test, train, gap] = res.tables;
    expect(test.rows.map((r) => r.key)).toEqual(['none', 'rotation', 'mirror', 'both']);
    const meanTrain = data.splits.reduce((t, s) => t + s.train.length, 0) / data.splits.length;
    expect(test.rows.map((r) => r.cells.copies)).toEqual([1, 4, 2, 8]);
    // Samples actually fed to training (the SampleSet's count), not a computed label.
    expect(test.rows.map((r) => r.cells.trainSamples)).toEqual([meanTrain, 4 * meanTrain, 2 * meanTrain, 8 * meanTrain]);
    for (const [key, v] of ctx.store) {
      const split = data.splits.find((s) => s.seed === Number(/split-(\d+)-/.exec(key)![1]))!;
      const aug = /aug-(\w+)\//.exec(key)![1] as (typeof AUGMENTATIONS)[number];
      expect((v as SplitOutcome).trainSamples).toBe(split.train.length * augmentationTransforms(aug).length);
    }
    for (const [i, row] of test.rows.entries()) {
      expect(row.paper).toEqual(PAPER_SUPP_TABLE_1[row.key as 'none']);
      expect(Number.isFinite(row.cells.mae as number)).toBe(true);
      expect(gap.rows[i].cells.maeGap).toBe((train.rows[i].cells.mae as number) - (row.cells.mae as number));
    }
    expect(res.figures[0].series.find((s) => s.paper)!.points.map((p) => p.y)).toEqual([0.553, 0.577, 0.718, 0.813]);
    const again = countingContext(ctx.store);
    await exp.run(data, again);
    expect(again.computed).toEqual([]);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createAppContext, type AppContext } from '../../../core/app/context.js';
import { localClient } from '../../../core/app/dispatch.js';
import { createModelsRepo } from '../../../core/store/repos/models-repo.js';
import { CNN_MODEL_KIND } from '../../../core/segregation/cnn/params.js';
import { COMPACT_ARCHITECTURE } from '../../../core/ml/architecture.js';
import { finalFitSplit } from '../../../core/segregation/cnn/splits.js';
import { modelCardOf } from '../../../core/services/reports/model-card.js';
import { reportPhraser, reportTranslator } from '../../../core/report/index.js';
import type { CnnMetrics, ModelDetail } from '../../../core/api/methods/cnn.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';

/**
 * Task 28-B #1: the PDF's model card, `model show` and the Train view's model line said "85 points of B7" — the
 * dataset's count — for a refit whose weights trained on 76 of them (finalFitSplit keeps 9 out to choose the stopping
 * epoch). They now say what the weights trained on, and, for a model whose stored run does not tell, that it is not
 * recorded instead of the larger figure.
 */

const { dir, cleanup } = tempDir('ferrolab-training-points-');
afterAll(cleanup);
const data = join(dir, 'data');

const pt = (i: number) => ({ billetId: 1, label: `P${String(i + 1).padStart(2, '0')}`, xMm: i, yMm: 0, actual: 0.7, mean: 0.7, sd: 0.01, relError: 0 });
const points = Array.from({ length: 85 }, (_, i) => ({ billetId: 1, label: pt(i).label, xMm: i, yMm: 0, carbon: 0.7, lowQuality: false }));
const run = (train: number[], test: number[]): CnnMetrics['final'] => ({
  name: 'final model (all points)', seed: 1, bestEpoch: 4, stoppedEarly: false, history: [],
  train: { n: train.length, r2: 0.7, r2Determination: 0.6, meanBias: 0, mae: 0.008, rmse: 0.011, maxAbsError: 0.049, meanRelError: 0.02 },
  test: null, testMaeOfTrainMean: null, trainPoints: train.map(pt), testPoints: test.map(pt),
});
const metrics = (final: CnnMetrics['final']): CnnMetrics => ({ splitMode: 'random', splits: [], summary: null, final, calibration: null });

const insert = (ctx: AppContext, name: string, billet: string, final: CnnMetrics['final'] | null, parentModelId: number | null = null) =>
  createModelsRepo(ctx.db).insert(
    { kind: CNN_MODEL_KIND, name, parentModelId, architecture: COMPACT_ARCHITECTURE, hyper: { preset: 'compact' }, seed: 42, datasetFingerprint: 'f'.repeat(16), dataset: { billets: [{ id: 1, name: billet, imageHash: null }], points }, backend: { name: 'wasm', tfjsBackend: 'wasm', gpu: false, tfjsVersion: '4.22.0', detail: '', skipped: [] }, history: null, metrics: final ? metrics(final) : null, synthetic: true },
    () => {},
  ).id;

async function described(final: CnnMetrics['final'] | null): Promise<{ id: number; detail: ModelDetail }> {
  const ctx = createAppContext({ dataDir: data, shell: 'cli', backend: 'wasm' });
  try {
    const id = insert(ctx, 'M', 'B7', final);
    return { id, detail: await localClient(ctx)['cnn.models.get']({ id }) };
  } finally {
    await ctx.close();
  }
}

const card = (d: ModelDetail, lang: 'en' | 'zh' | 'it') => modelCardOf(d, 'wasm', reportTranslator(lang), reportPhraser(lang)).trainingData;

describe("a model's training points: what its weights trained on, not the dataset's count", () => {
  it('a refit on 85 points: 76 trained its weights, 9 chose the stopping epoch (contract, PDF card in en/zh/it, model show)', async () => {
    // the split the training job makes: 85 points, 10 % (9) carved out for early stopping, nothing held out
    const split = finalFitSplit(85, 42);
    expect([split.train.length, split.val.length, split.test.length]).toEqual([76, 9, 0]);
    const { id, detail } = await described(run(split.train, split.test));
    expect(detail.pointCount).toBe(85);
    expect(detail.trainingPoints).toEqual({ points: 85, trained: 76, validation: 9, heldOut: 0 });
    // had printed "85 points of B7 · dataset ffffffffffff · seed 42"
    expect(card(detail, 'en')).toBe('76 of the 85 points of B7 trained its weights (9 only chose its stopping epoch; 0 held out) · dataset ffffffffffff · seed 42');
    expect(card(detail, 'zh')).toBe('B7 的 85 个取样点中有 76 个训练了其权重（9 个仅用于选择停止轮次；0 个留出） · 数据集 ffffffffffff · 随机种子 42');
    expect(card(detail, 'it')).toBe("76 degli 85 punti di B7 ne hanno addestrato i pesi (9 hanno solo scelto l'epoca di arresto; 0 tenuti da parte) · insieme di dati ffffffffffff · seme 42");
    const shown = await runCli(data, 'model', 'show', '--model', String(id));
    expect(shown.rc).toBe(0);
    expect(shown.out).toContain('76 of the 85 points of B7 trained its weights (9 only chose its stopping epoch; 0 held out) (dataset ffffffffffff)');
    expect(shown.out).not.toContain('trained on 85 points');
  });

  it('a model stored without a refit (split 1 kept): 61 trained, 7 stopped it, 17 held out', async () => {
    const train = Array.from({ length: 61 }, (_, i) => i);
    const test = Array.from({ length: 17 }, (_, i) => 68 + i);
    const { detail } = await described(run(train, test));
    expect(detail.trainingPoints).toEqual({ points: 85, trained: 61, validation: 7, heldOut: 17 });
    expect(card(detail, 'en')).toMatch(/^61 of the 85 points of B7 trained its weights \(7 only chose its stopping epoch; 17 held out\)/);
  });

  it('a model whose stored run lists no training points (or has no metrics) says it is not recorded, never 85', async () => {
    for (const final of [run([], []), null]) {
      const { id, detail } = await described(final);
      expect(detail.trainingPoints).toBeNull();
      expect(card(detail, 'en')).toBe('85 points of B7; which of them trained its weights is not recorded with this model · dataset ffffffffffff · seed 42');
      expect(card(detail, 'it')).toMatch(/^85 punti di B7; quali di essi ne abbiano addestrato i pesi non è registrato/);
      const shown = await runCli(data, 'model', 'show', '--model', String(id));
      expect(shown.out).toContain('85 points of B7; which of them trained its weights is not recorded with this model');
    }
  });

  it("a fine-tune: its own 61 of 85, then the 76 points its parent's weights had trained on; a deleted parent's not known", async () => {
    const ctx = createAppContext({ dataDir: data, shell: 'cli', backend: 'wasm' });
    let ft = 0;
    try {
      const split = finalFitSplit(85, 42);
      const m1 = insert(ctx, 'M1', 'B7', run(split.train, split.test));
      ft = insert(ctx, 'FT13', 'B13', run(Array.from({ length: 61 }, (_, i) => i), Array.from({ length: 17 }, (_, i) => 68 + i)), m1);
      const repo = createModelsRepo(ctx.db);
      repo.finishRun(repo.startRun(CNN_MODEL_KIND, { baseModelId: m1 }, 42), 'done', { modelId: ft });
      const api = localClient(ctx);
      const d = await api['cnn.models.get']({ id: ft });
      // had said "85 points of B13": neither what its own run trained on nor the B7 points its starting weights had seen
      const words = `61 of the 85 points of B13 trained its weights (7 only chose its stopping epoch; 17 held out); before that, M1 (#${m1}), whose weights it was fine-tuned from, trained on 76 points of B7`;
      expect(card(d, 'en')).toBe(`${words} · dataset ffffffffffff · seed 42`);
      expect(card(d, 'zh')).toContain(`；在此之前，其微调所基于的 M1 (#${m1}) 的权重在 B7 的 76 个取样点上训练过`);
      expect((await api['cnn.models.list']({})).find((m) => m.id === ft)!.trainingPointsPhrase).toEqual(d.trainingPointsPhrase);
      // the parent deleted, its data not stored with this older fine-tune: what it had trained on is not known, and said so
      repo.delete(m1);
      const gone = await api['cnn.models.get']({ id: ft });
      expect(card(gone, 'en')).toBe('61 of the 85 points of B13 trained its weights (7 only chose its stopping epoch; 17 held out); before that, the weights it was fine-tuned from trained on points that are not known (a model of its lineage is deleted and its data was not stored with this one, or it recorded none) · dataset ffffffffffff · seed 42');
    } finally {
      await ctx.close();
    }
    // model show says the same (the CLI opens the folder itself, so after the context is closed)
    const shown = await runCli(data, 'model', 'show', '--model', String(ft));
    expect(shown.out).toContain('before that, the weights it was fine-tuned from trained on points that are not known');
  });
});

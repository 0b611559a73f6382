import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backends } from '../ml/setup-backends.js';
import { runCli } from '../../helpers/cli.js';
import { modelToArtifacts, writeModelDir } from '../../../core/ml/model-io.js';
import { loadPretrainedDir } from '../../../core/ml/pretrained-model.js';
import { buildTransferModel } from '../../../core/ml/transfer-model.js';
import { dihedralSamples } from '../../../core/ml/tta.js';
import { trainRegressor } from '../../../core/ml/trainer.js';
import { transferLearningExperiment } from '../../../core/experiments/segregation/transfer-learning.js';
import { memoryContext, type ExperimentContext } from '../../../core/experiments/types.js';
import { tinySegregationData } from '../../helpers/tiny-segregation-data.js';
import { english } from '../../../core/runtime/english.js';

let dir: string;

beforeAll(async () => {
  await (await backends()).use('wasm');
  dir = mkdtempSync(join(tmpdir(), 'ferrolab-pretrained-'));
  // The network Ferrolab pretrains itself and exports in the TF.js layers format, through the real CLI command.
  const r = await runCli(join(dir, 'data'), 'model', 'pretrain-texture', '--out', join(dir, 'net'), '--size', '16', '--count', '60', '--epochs', '4', '--seed', '5', '--json');
  expect(r.rc, r.err).toBe(0);
  const j = JSON.parse(r.out) as { dir: string; valMaePx: number; valMaeOfMeanPx: number };
  expect(j.dir).toBe(join(dir, 'net'));
  expect(Number.isFinite(j.valMaePx)).toBe(true);
  await (await backends()).use('wasm');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a pretrained network from a TF.js layers folder', () => {
  it('loads the exported folder: input side, channels, layers', async () => {
    const p = await loadPretrainedDir(join(dir, 'net'));
    expect(p.inputSize).toBe(16);
    expect(p.channels).toBe(1);
    expect(p.layers.map((l) => l.name)).toContain('pt_conv3');
    p.model.dispose();
  });

  it('refuses a model.json whose weight file is missing, naming the file', async () => {
    const broken = join(dir, 'broken');
    writeModelDir(broken, await modelToArtifacts((await loadPretrainedDir(join(dir, 'net'))).model));
    unlinkSync(join(broken, 'weights.bin'));
    await expect(loadPretrainedDir(broken)).rejects.toThrow(/weights file "weights\.bin" listed in model\.json is missing/);
  });

  it('refuses a graph model and says how to convert', async () => {
    const g = join(dir, 'graph');
    writeModelDir(g, await modelToArtifacts((await loadPretrainedDir(join(dir, 'net'))).model));
    const j = JSON.parse(readFileSync(join(g, 'model.json'), 'utf8'));
    writeFileSync(join(g, 'model.json'), JSON.stringify({ ...j, format: 'graph-model' }));
    await expect(loadPretrainedDir(g)).rejects.toThrow(/graph model.*tfjs_layers_model/);
  });

  it('fine-tuning freezes exactly the chosen layers: their weights are bit-identical after training, the rest change', async () => {
    const p = await loadPretrainedDir(join(dir, 'net'));
    const tm = buildTransferModel(p.model, { freeze: 2, headUnits: 8, dropout: 0.2, seed: 3 });
    expect(tm.frozen).toEqual(['pt_conv1', 'pt_conv2']);
    expect(tm.trainable).toEqual(['pt_conv3', 'tl_dense', 'tl_carbon']);
    const before = new Map(tm.model.layers.map((l) => [l.name, l.getWeights().map((w) => Array.from(w.dataSync()))]));
    const data = tinySegregationData({ n: 16 });
    const set = dihedralSamples(data.points.map((q) => q.clahe), data.points.map((q) => q.carbon), 16, 1, { mean: 0.42, scale: 0.03 }, [0]);
    await trainRegressor(tm.model, set, null, { epochs: 2, batchSize: 8, learningRate: 1e-2, patience: 5, seed: 1 });
    const same = (name: string) => JSON.stringify(tm.model.getLayer(name).getWeights().map((w) => Array.from(w.dataSync()))) === JSON.stringify(before.get(name));
    expect(same('pt_conv1')).toBe(true);
    expect(same('pt_conv2')).toBe(true);
    expect(same('pt_conv3')).toBe(false);
    expect(same('tl_carbon')).toBe(false);
    tm.model.dispose();
  });
});

describe('the transfer-learning experiment', () => {
  it('the frozen network + new head beats the training mean on held-out points, and a resumed run computes nothing', async () => {
    const data = tinySegregationData({ n: 32, splits: 2 });
    const exp = transferLearningExperiment({ dir: join(dir, 'net') }, { learningRates: [3e-3], dropouts: [0.1], epochs: 15, patience: 15, splits: 2, headUnits: 16 });
    const store = new Map<string, unknown>();
    let computed = 0;
    const counting = (): ExperimentContext => {
      const c = memoryContext({ store, seed: 9 });
      return { ...c, unit: (k, f) => c.unit(k, async () => (computed++, f())) };
    };
    const r = await exp.run(data, counting());
    expect(computed).toBe(4); // 1 setting × 2 splits + the CNN from scratch × 2 splits
    const t = r.tables[0];
    const transfer = t.rows.find((row) => row.key.startsWith('freeze-all'))!;
    expect(transfer.cells.maeTest as number).toBeLessThan(transfer.cells.maeOfMean as number);
    expect(transfer.paper?.r2Test).toBe(0.669);
    expect(t.rows.find((row) => row.key === 'scratch')?.paper?.maeTest).toBe(0.012);
    expect(r.figures.map((f) => f.id)).toEqual(['transfer-r2', 'transfer-mae']);
    // issue 15: every note is a code (none English-only), and its English words are the stored note
    expect(r.notePhrases).toHaveLength(r.notes.length);
    r.notePhrases!.forEach((p, i) => expect(p && english(p)).toBe(r.notes[i]));
    expect(r.notes.join(' ')).toMatch(/Pixel scaling for the pretrained network: /);
    computed = 0;
    const again = await exp.run(data, counting());
    expect(computed).toBe(0);
    expect(again.tables[0].rows.map((x) => x.cells.maeTest)).toEqual(t.rows.map((x) => x.cells.maeTest));
    tf.disposeVariables();
  });
});

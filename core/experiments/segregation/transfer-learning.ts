import { fixed, phrase, type Phrase } from '../../api/phrase.js';
import { captioned, labelled, named, notesOf, titled } from '../words.js';
import * as tf from '@tensorflow/tfjs';
import { DIHEDRAL } from '../../imaging/dihedral.js';
import { dihedralSamples, type TargetScaling } from '../../ml/tta.js';
import { trainRegressor } from '../../ml/trainer.js';
import { beginTrainingRun } from '../../ml/kernels/conv2d-winograd.js';
import { predictAll, type SampleSet } from '../../ml/tensors.js';
import { regressionMetrics, type RegressionMetrics } from '../../ml/metrics.js';
import { modelToArtifacts } from '../../ml/model-io.js';
import { readPretrainedArtifacts, describePretrained } from '../../ml/pretrained-model.js';
import { pretrainedCost } from '../../ml/network-cost.js';
import { pretrainTextureNet, pretextNetworkCost, pretextValidation, PRETEXT_VIEWS } from '../../ml/texture-pretext.js';
import { forwardSeconds, splitPointCounts, splitSeconds, trainingSeconds } from './cnn-protocol.js';
import {
  applyPreprocess,
  buildTransferModel,
  extractFeatures,
  featureExtractor,
  headModel,
  resizePatches,
  type FreezeRule,
  type InputPreprocess,
} from '../../ml/transfer-model.js';
import type { ArchitectureSpec } from '../../ml/architecture.js';
import { childSeed } from '../../runtime/random.js';
import { targetScaling } from '../../segregation/cnn/dataset.js';
import { runSplit } from '../../segregation/cnn/experiment.js';
import type { PointSplit } from '../../segregation/cnn/splits.js';
import type { ExperimentBudget, ExperimentContext, ExperimentResult, SegregationData, SegregationExperiment, TableRow } from '../types.js';

/**
 * Transfer learning (paper Fig. 10): a pretrained network with its early layers frozen and a new regression
 * head, trained at several learning rates with dropout and early stopping on the shared splits, beside a
 * Ferrolab CNN trained from scratch on the same splits. The pretrained network is the user's (a TF.js layers
 * folder, e.g. a converted VGG16) or, without one, a small texture network Ferrolab pretrains itself (said in
 * the notes: ImageNet weights cannot be downloaded on an offline lab PC).
 */

export interface TransferSettings {
  preprocess: InputPreprocess;
  cutAfter: string | null;
  freeze: FreezeRule[];
  learningRates: number[];
  dropouts: number[];
  headUnits: number;
  epochs: number;
  patience: number;
  batchSize: number;
  /** How many of the shared splits are used. */
  splits: number;
  pretext: { count: number; epochs: number };
}

export const TRANSFER_QUICK: TransferSettings = {
  preprocess: 'unit',
  cutAfter: null,
  freeze: ['all'],
  learningRates: [1e-3, 1e-4],
  dropouts: [0.3],
  headUnits: 32,
  epochs: 30,
  patience: 8,
  batchSize: 16,
  splits: 2,
  pretext: { count: 240, epochs: 12 },
};

export const TRANSFER_FULL: TransferSettings = {
  preprocess: 'unit',
  cutAfter: null,
  freeze: ['all', 'half'],
  learningRates: [1e-3, 1e-4, 1e-5],
  dropouts: [0.2, 0.5],
  headUnits: 64,
  epochs: 200,
  patience: 50,
  batchSize: 32,
  splits: 5,
  pretext: { count: 2000, epochs: 60 },
};

export interface PretrainedSource {
  /** A TF.js layers folder (model.json + weights); null: Ferrolab's own texture network. */
  dir: string | null;
  preprocess?: InputPreprocess;
  cutAfter?: string | null;
}

interface RunOutcome {
  train: RegressionMetrics;
  test: RegressionMetrics;
  testMaeOfTrainMean: number;
  bestEpoch: number;
}

interface StoredArtifacts {
  modelTopology: unknown;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightsB64: string;
}

const toStored = (a: { modelTopology: object; weightSpecs: tf.io.WeightsManifestEntry[]; weightData: ArrayBuffer }): StoredArtifacts => ({
  modelTopology: a.modelTopology,
  weightSpecs: a.weightSpecs,
  weightsB64: Buffer.from(a.weightData).toString('base64'),
});
const fromStored = (s: StoredArtifacts): tf.io.ModelArtifacts => {
  const b = Buffer.from(s.weightsB64, 'base64');
  return { modelTopology: s.modelTopology as tf.io.ModelArtifacts['modelTopology'], weightSpecs: s.weightSpecs, weightData: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer };
};

/** Mean prediction over the 8 dihedral views of every patch (the same test-time augmentation as the CNN). */
function ttaMeans(raw: Float32Array, n: number, scaling: TargetScaling): number[] {
  return Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let k = 0; k < 8; k++) s += raw[i * 8 + k];
    return (s / 8) * scaling.scale + scaling.mean;
  });
}

/** A CNN from scratch sized for the patch: the comparison row of Fig. 10. */
export function scratchArchitecture(size: number): ArchitectureSpec {
  const blocks = Math.max(2, Math.min(4, Math.floor(Math.log2(size)) - 2));
  return { inputSize: size, channels: 1, blocks, convsPerBlock: 2, baseFilters: 8, dense: [32, 16], dropout: 0.1 };
}

function mean(v: number[]): number {
  return v.reduce((a, b) => a + b, 0) / v.length;
}

function sdOf(v: number[]): number {
  const m = mean(v);
  return v.length > 1 ? Math.sqrt(v.reduce((a, x) => a + (x - m) ** 2, 0) / (v.length - 1)) : 0;
}

export function transferLearningExperiment(source: PretrainedSource = { dir: null }, override: Partial<TransferSettings> = {}): SegregationExperiment {
  const settingsFor = (budget: ExperimentBudget): TransferSettings => ({
    ...(budget === 'full' ? TRANSFER_FULL : TRANSFER_QUICK),
    ...(source.preprocess ? { preprocess: source.preprocess } : {}),
    ...(source.cutAfter !== undefined ? { cutAfter: source.cutAfter } : {}),
    ...override,
  });
  return {
    id: 'transfer-learning',
    title: 'Transfer learning: a pretrained network with a new regression head vs a CNN from scratch',
    titlePhrase: phrase('experiments.transfer.title'),
    paperRef: 'Fig. 10',
    estimateSeconds(data, budget) {
      const s = settingsFor(budget);
      const counts = splitPointCounts(data, { maxSplits: s.splits });
      const settings = s.dropouts.length * s.learningRates.length;
      // Every part from the experiments' one step model (cnn-protocol.ts) at the size it will run.
      const net = source.dir ? pretrainedCost(source.dir, s.cutAfter) : { whole: pretextNetworkCost(data.size), features: pretextNetworkCost(data.size, 'features') };
      const head = { layers: 2, multiplyAdds: net.features.width * s.headUnits + s.headUnits };
      const headTrained = { layers: net.features.layers + head.layers, multiplyAdds: net.features.multiplyAdds + head.multiplyAdds };
      const perSplit = (p: { train: number; val: number; test: number }) => {
        const views = { trainSamples: p.train * 8, valSamples: p.val * 8, afterSamples: (p.train + p.test) * 8 };
        return s.freeze.reduce<number>((t, f) => {
          if (f !== 'all') return t + settings * trainingSeconds(headTrained, views, s.epochs, s.batchSize);
          // frozen: the features of every view once (training, validation, then training and test again), the head alone trains
          const features = (2 * p.train + p.val + p.test) * 8 * forwardSeconds(net.features, 16);
          return t + settings * (features + trainingSeconds(head, views, s.epochs, s.batchSize));
        }, 0);
      };
      const nVal = pretextValidation(s.pretext.count);
      const pretext = source.dir ? 0 : trainingSeconds(net.whole, { trainSamples: (s.pretext.count - nVal) * PRETEXT_VIEWS.length, valSamples: nVal, afterSamples: 0 }, s.pretext.epochs, 16);
      const scratch = counts.reduce((t, p) => t + splitSeconds(scratchArchitecture(data.size), p, s.epochs, 8, s.batchSize), 0);
      return counts.reduce((t, p) => t + perSplit(p), 0) + pretext + scratch;
    },
    async run(data: SegregationData, ctx: ExperimentContext): Promise<ExperimentResult> {
      const t0 = performance.now();
      const s = settingsFor(ctx.budget);
      const notes: Phrase[] = [];
      const seeds: Record<string, number> = { root: ctx.seed, pretext: childSeed(ctx.seed, 501) };
      const splits = data.splits.slice(0, Math.min(s.splits, data.splits.length));
      if (!splits.length) throw new Error('transfer learning: the data have no splits');
      // the grids of learning rates and dropouts are lists of settings, quoted as the settings table writes them
      if (ctx.budget === 'quick') notes.push(phrase('expNotes.transfer.quick', { splits: splits.length, epochs: s.epochs, patience: s.patience, rates: s.learningRates.join(', '), dropouts: s.dropouts.join(', ') }));

      // 1. The pretrained network.
      let artifacts: tf.io.ModelArtifacts;
      let networkName: string;
      if (source.dir) {
        artifacts = readPretrainedArtifacts(source.dir);
        networkName = `user network (${source.dir})`;
      } else {
        const stored = await ctx.unit('transfer:pretext', async () => {
          ctx.progress(0, phrase('expNotes.progress.pretext'));
          const r = await pretrainTextureNet({ size: data.size, count: s.pretext.count, epochs: s.pretext.epochs, seed: seeds.pretext, signal: ctx.signal });
          const a = await modelToArtifacts(r.model);
          r.model.dispose();
          return { artifacts: toStored(a), valMae: r.valMae, valMaeOfMean: r.valMaeOfMean };
        });
        artifacts = fromStored(stored.artifacts);
        networkName = 'Ferrolab texture network';
        notes.push(phrase('expNotes.transfer.pretext', { count: s.pretext.count, mae: fixed(stored.valMae, 2), maeOfMean: fixed(stored.valMaeOfMean, 2) }));
      }
      const probe = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
      const info = await describePretrained(probe, source.dir ?? 'ferrolab-texture-net');
      probe.dispose();
      const channels = info.channels as 1 | 3;
      if (info.inputSize !== data.size) notes.push(phrase('expNotes.transfer.resized', { px: data.size, inputPx: info.inputSize }));
      if (channels === 3) notes.push(phrase('expNotes.transfer.grey'));
      notes.push(phrase('expNotes.transfer.scaling', { preprocess: s.preprocess }));
      const patches = resizePatches(data.points.map((p) => p.clahe), data.size, info.inputSize);
      const carbon = data.points.map((p) => p.carbon);

      const samples = (idx: number[], scaling: TargetScaling, withY: boolean): SampleSet =>
        applyPreprocess(
          dihedralSamples(
            idx.map((i) => patches[i]),
            idx.map((i) => (withY ? carbon[i] : null)),
            info.inputSize,
            channels,
            scaling,
            DIHEDRAL,
          ),
          s.preprocess,
        );

      // 2. Every setting × split.
      type Setting = { freeze: FreezeRule; lr: number; dropout: number };
      const grid: Setting[] = [];
      for (const freeze of s.freeze) for (const lr of s.learningRates) for (const dropout of s.dropouts) grid.push({ freeze, lr, dropout });
      const total = grid.length * splits.length + splits.length;
      let done = 0;
      const settingKey = (g: Setting) => `freeze-${g.freeze}-lr-${g.lr}-dropout-${g.dropout}`;
      const outcomes = new Map<string, RunOutcome[]>();
      for (const g of grid) {
        const list: RunOutcome[] = [];
        for (const split of splits) {
          ctx.signal?.throwIfAborted();
          ctx.progress(done / total, phrase('expNotes.progress.transfer', { setting: settingKey(g), split: split.name }));
          list.push(
            await ctx.unit(`transfer:${settingKey(g)}:${split.name}`, () => runTransfer(artifacts, g, split, s, samples, carbon, ctx.signal)),
          );
          done++;
        }
        outcomes.set(settingKey(g), list);
      }
      // 3. The CNN from scratch on the same splits.
      const arch = scratchArchitecture(data.size);
      const scratch: RunOutcome[] = [];
      for (const split of splits) {
        ctx.progress(done / total, phrase('expNotes.progress.scratch', { split: split.name }));
        scratch.push(await ctx.unit(`transfer:scratch:${split.name}`, () => runScratch(arch, split, s, data, ctx.signal)));
        done++;
      }
      ctx.progress(1, phrase('expNotes.progress.transferDone'));

      const summarise = (list: RunOutcome[]) => ({
        r2Train: mean(list.map((o) => o.train.r2)),
        r2Test: mean(list.map((o) => o.test.r2)),
        r2TestSd: sdOf(list.map((o) => o.test.r2)),
        r2DetTest: mean(list.map((o) => o.test.r2Determination)),
        maeTest: mean(list.map((o) => o.test.mae)),
        maeTestSd: sdOf(list.map((o) => o.test.mae)),
        biasTest: mean(list.map((o) => o.test.meanBias)),
        maeOfMean: mean(list.map((o) => o.testMaeOfTrainMean)),
        bestEpoch: mean(list.map((o) => o.bestEpoch)),
      });
      const rows: TableRow[] = grid.map((g) => {
        const m = summarise(outcomes.get(settingKey(g))!);
        return { key: settingKey(g), cells: { network: networkName, freeze: String(g.freeze), lr: g.lr, dropout: g.dropout, ...m } };
      });
      // The paper's best transfer model (InceptionV3) beside our best transfer setting; its CNN beside ours.
      const best = rows.reduce((a, r) => ((r.cells.maeTest as number) < (a.cells.maeTest as number) ? r : a), rows[0]);
      best.paper = { network: 'InceptionV3 (best of VGG16, VGG19, InceptionV3)', r2Train: '> 0.90', r2Test: 0.669, maeTest: '> 0.016' };
      const sc = summarise(scratch);
      rows.push({
        key: 'scratch',
        cells: { network: `Ferrolab CNN from scratch (${arch.blocks} blocks, ${data.size} px)`, freeze: '—', lr: s.learningRates[0], dropout: arch.dropout, ...sc },
        paper: { network: 'custom CNN', r2Test: 0.813, maeTest: 0.012 },
      });
      const elapsedMs = performance.now() - t0;
      return {
        id: 'transfer-learning',
        ...titled(phrase('experiments.transfer.title')),
        paperRef: 'Fig. 10',
        tables: [
          {
            id: 'transfer-learning',
            ...titled(phrase('experiments.transfer.table')),
            sample: 'held-out',
            ...captioned(phrase('experiments.transfer.caption', { splits: splits.length })),
            columns: [
              { key: 'network', ...labelled(phrase('experiments.transfer.col.network')) },
              { key: 'freeze', ...labelled(phrase('experiments.transfer.col.freeze')) },
              { key: 'lr', ...labelled(phrase('experiments.transfer.col.lr')) },
              { key: 'dropout', label: 'dropout', digits: 2 },
              { key: 'r2Train', ...labelled(phrase('experiments.transfer.col.r2Train')), digits: 3 },
              { key: 'r2Test', ...labelled(phrase('experiments.transfer.col.r2Test')), digits: 3 },
              { key: 'r2TestSd', ...labelled(phrase('experiments.region.col.sd')), digits: 3 },
              { key: 'r2DetTest', ...labelled(phrase('experiments.transfer.col.r2DetTest')), digits: 3 },
              { key: 'maeTest', ...labelled(phrase('experiments.transfer.col.maeTest')), unit: 'wt.%', digits: 4 },
              { key: 'maeTestSd', ...labelled(phrase('experiments.region.col.sd')), unit: 'wt.%', digits: 4 },
              { key: 'biasTest', ...labelled(phrase('experiments.transfer.col.biasTest')), unit: 'wt.%', digits: 4 },
              { key: 'maeOfMean', ...labelled(phrase('experiments.transfer.col.maeOfMean')), unit: 'wt.%', digits: 4 },
              { key: 'bestEpoch', ...labelled(phrase('experiments.transfer.col.bestEpoch')), digits: 0 },
            ],
            rows,
          },
        ],
        figures: [
          {
            id: 'transfer-r2',
            ...titled(phrase('experiments.transfer.figR2')),
            kind: 'bar',
            x: labelled(phrase('experiments.transfer.col.model')),
            y: labelled(phrase('experiments.col.r2')),
            series: [
              { ...named(phrase('experiments.transfer.measured')), points: rows.map((r) => ({ x: r.key, y: r.cells.r2Test as number })) },
              { ...named(phrase('experiments.transfer.paper')), paper: true, points: [{ x: 'InceptionV3', y: 0.669 }, { x: 'custom CNN', y: 0.813 }] },
            ],
          },
          {
            id: 'transfer-mae',
            ...titled(phrase('experiments.transfer.figMae')),
            kind: 'bar',
            x: labelled(phrase('experiments.transfer.col.model')),
            y: { ...labelled(phrase('experiments.col.mae')), unit: 'wt.%' },
            series: [
              { ...named(phrase('experiments.transfer.measured')), points: rows.map((r) => ({ x: r.key, y: r.cells.maeTest as number })) },
              { ...named(phrase('experiments.transfer.paper')), paper: true, points: [{ x: 'custom CNN', y: 0.012 }] },
            ],
          },
        ],
        seeds: { ...seeds, ...Object.fromEntries(splits.map((sp) => [`split ${sp.name}`, sp.seed])) },
        settings: { ...s, network: networkName, inputSize: info.inputSize, channels, parameters: info.parameters, scratchArchitecture: arch },
        ...notesOf(notes),
        elapsedMs,
      };
    },
  };
}

async function runTransfer(
  artifacts: tf.io.ModelArtifacts,
  g: { freeze: FreezeRule; lr: number; dropout: number },
  split: { train: number[]; val: number[]; test: number[]; seed: number },
  s: TransferSettings,
  samples: (idx: number[], scaling: TargetScaling, withY: boolean) => SampleSet,
  carbon: number[],
  signal?: AbortSignal,
): Promise<RunOutcome> {
  const scaling = targetScaling(split.train.map((i) => carbon[i]));
  const base = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const trainSet = samples(split.train, scaling, true);
  const valSet = split.val.length ? samples(split.val, scaling, true) : null;
  const trainX = samples(split.train, scaling, false);
  const testX = samples(split.test, scaling, false);
  const hyper = { epochs: s.epochs, batchSize: s.batchSize, learningRate: g.lr, patience: s.patience, seed: split.seed, yScale: scaling.scale, signal };
  let model: tf.LayersModel;
  let rawTrain: Float32Array;
  let rawTest: Float32Array;
  let r: Awaited<ReturnType<typeof trainRegressor>>;
  const extra: tf.LayersModel[] = [];
  try {
    if (g.freeze === 'all') {
      // Frozen base: features once per sample, then only the head trains.
      const fx = featureExtractor(base, s.cutAfter);
      extra.push(fx.model);
      const feat = async (set: SampleSet): Promise<SampleSet> => ({ x: await extractFeatures(fx.model, set, fx.width), y: set.y, count: set.count, shape: [1, 1, fx.width] });
      // The features the head trains on are part of its training: the training kernels' exact product (core/ml/
      // kernels/conv2d-winograd.ts), not inference's FMA one, so the head's weights do not depend on the CPU.
      const endFeatures = beginTrainingRun();
      let fTrain: SampleSet;
      let fVal: SampleSet | null;
      try {
        fTrain = await feat(trainSet);
        fVal = valSet ? await feat(valSet) : null;
      } finally {
        endFeatures();
      }
      model = headModel(fx.width, s.headUnits, g.dropout, split.seed);
      extra.push(model);
      r = await trainRegressor(model, fTrain, fVal, hyper);
      const fTrainX = await feat(trainX);
      const fTestX = await feat(testX);
      rawTrain = await predictAll(model, fTrainX.x, fTrainX.count, fTrainX.shape);
      rawTest = await predictAll(model, fTestX.x, fTestX.count, fTestX.shape);
    } else {
      const tm = buildTransferModel(base, { cutAfter: s.cutAfter, freeze: g.freeze, headUnits: s.headUnits, dropout: g.dropout, seed: split.seed });
      model = tm.model;
      extra.push(model);
      r = await trainRegressor(model, trainSet, valSet, hyper);
      rawTrain = await predictAll(model, trainX.x, trainX.count, trainX.shape);
      rawTest = await predictAll(model, testX.x, testX.count, testX.shape);
    }
    const trainPred = ttaMeans(rawTrain, split.train.length, scaling);
    const testPred = ttaMeans(rawTest, split.test.length, scaling);
    const testActual = split.test.map((i) => carbon[i]);
    const out: RunOutcome = {
      train: regressionMetrics(trainPred, split.train.map((i) => carbon[i])),
      test: regressionMetrics(testPred, testActual),
      testMaeOfTrainMean: mean(testActual.map((a) => Math.abs(a - scaling.mean))),
      bestEpoch: r.bestEpoch,
    };
    return out;
  } finally {
    disposeShared([...extra, base]);
  }
}

/**
 * The transfer model and the feature extractor share the pretrained network's layers, and tfjs disposes a
 * shared layer with the first model that lets go of it: dispose each model, skipping layers already gone.
 */
function disposeShared(models: tf.LayersModel[]): void {
  for (const m of models) {
    for (const l of m.layers) {
      try {
        l.dispose();
      } catch {
        // already disposed through another model that shares it
      }
    }
  }
}

/** The CNN from scratch through the CNN's own split protocol (segregation/cnn/experiment.ts): same training and TTA. */
async function runScratch(arch: ArchitectureSpec, split: PointSplit, s: TransferSettings, data: SegregationData, signal?: AbortSignal): Promise<RunOutcome> {
  const r = await runSplit(
    {
      architecture: arch,
      hyper: { epochs: s.epochs, batchSize: s.batchSize, learningRate: 1e-3, patience: s.patience },
      patches: data.points.map((p) => p.clahe),
      carbon: data.points.map((p) => p.carbon),
      splits: [split],
      final: null,
    },
    split,
    { signal },
  );
  if (!r.test || r.testMaeOfTrainMean === null) throw new Error(`transfer learning: ${split.name} has no test points`);
  return {
    train: r.train,
    test: r.test,
    testMaeOfTrainMean: r.testMaeOfTrainMean,
    bestEpoch: r.bestEpoch,
  };
}

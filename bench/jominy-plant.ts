// JoMiner on plant-like data (issue 12): the plant-like fixture (sixteenths J1…J28 with the tail often unmeasured,
// elements C Mn Si Ni Cr Ti Mo B, two flats, ~10 % of heats in HV) imported through the real CSV reader, then the
// hierarchical predictor trained on it (random split, then by grade), printed as the per-point skill table:
// held-out MAE of the model beside the training mean and grade mean, the skill, and the model's MAE against the
// generating model (honest: the truth the noisy readings came from). Run: npx tsx bench/jominy-plant.ts [--quick]
import { parseJominyCsv, trainPredictor, type PredictorModel } from '../core/jominy/index.js';
import { JominyPredictor } from '../core/jominy/predictor.js';
import { sampleChemArray } from '../core/jominy/dataset.js';
import { plantLikeJominyCsv } from '../test/helpers/plant-jominy-csv.js';

const quick = process.argv.includes('--quick');
const N = quick ? 400 : 1000;
const DATA_SEED = 2026;
const TRAIN_SEED = 7;
const plant = plantLikeJominyCsv({ n: N, seed: DATA_SEED });
let t = performance.now();
const parsed = parseJominyCsv(plant.text);
console.log(`plant-like fixture: ${N} heats (data seed ${DATA_SEED}), ${plant.hvHeats} in HV; imported in ${(performance.now() - t).toFixed(0)} ms; ${parsed.layout.labels.length} distances (${parsed.layout.unit}), elements ${parsed.layout.elements.join(' ')}; ${parsed.warnings.length} warnings`);

const f2 = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(2));
const sk = (v: number | null | undefined) => (v === null || v === undefined ? '–' : (v >= 0 ? '+' : '') + v.toFixed(2));

function table(model: PredictorModel, title: string) {
  const s = model.metrics.skill!;
  const pred = new JominyPredictor(model);
  // MAE against the generating model on the test heats, at the model's points (the readings' own noise is ~0.6 HRC).
  const cols = model.distancesMm!.map((d) => parsed.layout.distancesMm.indexOf(d));
  const truthMae = model.distancesMm!.map((_, p) => {
    const errs = model.split.testIndices.map((i) => Math.abs(pred.predictPoints(sampleChemArray(parsed.samples[i], parsed.layout.elements))[p] - plant.truth[i][cols[p]]));
    return errs.reduce((a, b) => a + b, 0) / errs.length;
  });
  console.log(`\n### ${title}: ${model.split.train} train / ${model.split.validation} validation / ${model.split.test} test heats, seed ${model.seed}`);
  console.log(`skipped (too few heats): ${model.skipped!.map((x) => `${x.label} (${x.heats.train}/${x.heats.validation}/${x.heats.test})`).join(', ') || 'none'}`);
  console.log('| point | mm | test heats | model MAE | training mean | ' + (s.split === 'by-grade' ? 'other grades' : 'grade mean') + ' | skill vs grade | skill vs train mean | model vs truth MAE |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  s.points.forEach((p, k) =>
    console.log(`| ${model.labels![k]} | ${p.distanceMm.toFixed(2)} | ${p.n} | ${f2(p.model.mae)} | ${f2(p.trainMean.mae)} | ${f2(p.gradeMean?.mae)} | ${sk(p.skill.vsGradeMean)} | ${sk(p.skill.vsTrainMean)} | ${f2(truthMae[k])} |`),
  );
  const o = s.overall;
  console.log(`| overall | | ${s.testHeats} | ${f2(o.model.mae)} | ${f2(o.trainMean.mae)} | ${f2(o.gradeMean?.mae)} | ${sk(o.skill.vsGradeMean)} | ${sk(o.skill.vsTrainMean)} | ${f2(truthMae.reduce((a, b) => a + b, 0) / truthMae.length)} |`);
  if (s.warning) console.log(`WARNING: ${s.warning}`);
  if (s.gradeMeanNote) console.log(`grade baseline: ${s.gradeMeanNote}`);
}

for (const split of ['random', 'by-grade'] as const) {
  t = performance.now();
  const model = trainPredictor(parsed.samples, { seed: TRAIN_SEED, split, layout: parsed.layout, ...(quick ? { maxHidden: 3, epochs: 40 } : {}) });
  table(model, `${split} split, trained in ${((performance.now() - t) / 1000).toFixed(1)} s (Nh 1…${model.training.maxHidden}, ${model.training.epochs} epochs)`);
}

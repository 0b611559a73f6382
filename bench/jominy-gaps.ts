// Element gaps (issue 12): what the rule of core/jominy/element-gaps.ts costs and what it saves. The plant-like
// fixture (elements C Mn Si Ni Cr Ti Mo B, sixteenths, partial curves, two flats, some HV) is written without
// its gaps, then with Mo missing on 10 %, Ni on 5 % and B on 40 % of the heats, and imported through the real
// CSV reader. Trained (random split, same seed) four ways, each printed with the heats it used, its held-out MAE
// against the readings, its MAE against the generating model on the same held-out heats (honest: the truth the
// noisy readings came from), its MAE against the generating model on 300 fresh heats no run trained on (the one
// comparison on the same heats) and its skill over the grade mean:
//   complete     no gaps (the reference);
//   rule 80 %    the default: B (60 % analysed) is not an input, heats lacking Mo or Ni are left out;
//   rule 50 %    B is an input, so every heat lacking B is left out too;
//   gaps as 0    what a reader that turns a gap into 0 would train on (never done by Ferrolab: shown for scale).
// Run: npx tsx bench/jominy-gaps.ts [--quick]
import { parseJominyCsv, planInputHeats, trainPredictor, type JominySample, type PredictorModel } from '../core/jominy/index.js';
import { JominyPredictor } from '../core/jominy/predictor.js';
import { sampleChemArray } from '../core/jominy/dataset.js';
import { plantLikeJominyCsv } from '../test/helpers/plant-jominy-csv.js';

const quick = process.argv.includes('--quick');
const N = quick ? 500 : 1000;
const DATA_SEED = 2026;
const TRAIN_SEED = 7;
const GAPS = { Mo: 0.1, Ni: 0.05, B: 0.4 };
const settings = quick ? { maxHidden: 3, epochs: 40 } : {};

const whole = plantLikeJominyCsv({ n: N, seed: DATA_SEED });
const gapped = plantLikeJominyCsv({ n: N, seed: DATA_SEED, elementGaps: GAPS });
const complete = parseJominyCsv(whole.text);
const withGaps = parseJominyCsv(gapped.text);
const rowOf = new Map(complete.samples.map((s, i) => [s.heatId!, i]));
// Out-of-sample: fresh heats of the same generator (another seed), complete chemistry, that no run trained on —
// the one set every run is scored on alike (their held-out heats differ, as each uses different heats).
const FRESH_SEED = 3031;
const freshCsv = plantLikeJominyCsv({ n: 300, seed: FRESH_SEED });
const fresh = parseJominyCsv(freshCsv.text);
console.log(`plant-like fixture: ${N} heats (data seed ${DATA_SEED}); gaps written: ${Object.entries(gapped.gaps).map(([el, n]) => `${el} ${n}`).join(', ')}; train seed ${TRAIN_SEED}${quick ? ' (quick: Nh ≤ 3, 40 epochs)' : ''}`);

const f2 = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(2));
const sk = (v: number | null | undefined) => (v === null || v === undefined ? '–' : (v >= 0 ? '+' : '') + v.toFixed(2));

function row(name: string, samples: JominySample[], elements: Parameters<typeof sampleChemArray>[1], note: string, heatKeys?: string[]) {
  const t = performance.now();
  const layout = { ...complete.layout, elements: [...elements] };
  const model: PredictorModel = trainPredictor(samples, { seed: TRAIN_SEED, layout, heatKeys, ...settings });
  const pred = new JominyPredictor(model);
  const cols = model.distancesMm!.map((d) => complete.layout.distancesMm.indexOf(d));
  let sum = 0, n = 0;
  for (const i of model.split.testIndices) {
    const truth = whole.truth[rowOf.get(samples[i].heatId!)!];
    const p = pred.predictPoints(sampleChemArray(samples[i], layout.elements));
    cols.forEach((c, k) => {
      sum += Math.abs(p[k] - truth[c]);
      n++;
    });
  }
  let fSum = 0, fN = 0;
  fresh.samples.forEach((h, i) => {
    const p = pred.predictPoints(sampleChemArray({ chemistry: Object.fromEntries(layout.elements.map((el) => [el, h.chemistry[el]!])) }, layout.elements));
    cols.forEach((c, k) => {
      fSum += Math.abs(p[k] - freshCsv.truth[i][c]);
      fN++;
    });
  });
  const s = model.metrics.skill!.overall;
  console.log(`| ${name} | ${samples.length} | ${layout.elements.join(' ')} | ${model.split.test} | ${f2(model.metrics.mae)} | ${f2(sum / n)} | ${f2(fSum / fN)} | ${f2(s.gradeMean?.mae)} | ${sk(s.skill.vsGradeMean)} | ${((performance.now() - t) / 1000).toFixed(1)} | ${note} |`);
}

console.log(`\n| run | heats used | inputs | test heats | held-out MAE (readings) | held-out MAE vs generating model | out-of-sample MAE vs generating model (300 fresh heats, seed ${FRESH_SEED}) | grade-mean MAE (held-out) | skill vs grade mean | train s | note |`);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
row('complete', complete.samples, complete.layout.elements, 'no gaps');
for (const share of [0.8, 0.5]) {
  const { plan, samples, keys } = planInputHeats(withGaps.samples, withGaps.layout.elements, share);
  row(`rule ${share * 100} %`, samples, plan.inputElements, `${plan.leftOut} heats left out (${plan.leftOutBy.map((x) => `${x.element} ${x.heats}`).join(', ')}); not inputs: ${plan.dropped.map((d) => d.element).join(' ') || 'none'}`, keys);
}
const zeros = withGaps.samples.map((s) => ({ ...s, chemistry: Object.fromEntries(withGaps.layout.elements.map((el) => [el, s.chemistry[el] ?? 0])) as JominySample['chemistry'] }));
row('gaps as 0', zeros, withGaps.layout.elements, 'a gap read as 0 wt.% (for scale only)');

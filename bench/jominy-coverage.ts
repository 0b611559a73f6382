// JoMiner interval coverage per distance (audit 25: a pooled 90 % that hid 56 % at 1.5 mm). Trains the predictor and
// its 5-member ensemble as `jominy train` does (element gaps planned, the dataset's own distances) on a plant CSV for
// each seed, and on the synthetic protocol (810 heats, seed 2021, predictor seed 7), then prints the held-out
// (cross-fitted) coverage of the nominal 90 % interval pooled and per model point, the lowest point, and how each
// point's interval was calibrated (its own quantile, or the pooled one widened: too few held-out readings there).
// Run: npx tsx bench/jominy-coverage.ts [--csv FILE (a plant CSV, e.g. from `jominy synth`, or marked `# synthetic:` when
//   its HRC cells go below 20; none: synthetic only)] [--seeds 3,4,5] [--no-synthetic] [--quick]
import { readFileSync } from 'node:fs';
import { parseJominyCsv, trainPredictor, trainEnsemble, generateSynthetic, type JominySample } from '../core/jominy/index.js';
import { planInputHeats } from '../core/jominy/element-gaps.js';
import { modelDistances } from '../core/jominy/predictor-model.js';
import { argValue, HEATS_SEED, PREDICTOR_SEED } from './_jominy-common.js';

const quick = process.argv.includes('--quick');
const csv = argValue('--csv');
const seeds = (argValue('--seeds') ?? '3,4,5').split(',').map(Number);
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${(100 * v).toFixed(1)}`);

function run(title: string, all: JominySample[], layout: { distancesMm: number[]; labels: string[]; elements: readonly string[] }, seed: number) {
  const { samples, plan, keys } = planInputHeats(all, layout.elements as never, undefined);
  const lay = { distancesMm: layout.distancesMm, labels: layout.labels, elements: plan.inputElements };
  const t = performance.now();
  const model = trainPredictor(samples, { seed, split: 'random', layout: lay, heatKeys: keys, ...(quick ? { maxHidden: 3, epochs: 40 } : {}) });
  const ens = trainEnsemble(samples, model, { size: 5, layout: lay, heatKeys: keys });
  const c = ens.calibration as typeof ens.calibration & { kPoints?: number[]; pointRule?: string[] };
  const mm = modelDistances(model);
  const cov = c.coveragePoints;
  const low = cov.reduce<number | null>((m, v) => (v === null ? m : m === null ? v : Math.min(m, v)), null);
  console.log(`\n### ${title}, seed ${seed}: ${c.heats} held-out heats, ${c.cells} cells; pooled ${pct(c.coverage)} %, lowest point ${pct(low)} % (${((performance.now() - t) / 1000).toFixed(0)} s)`);
  console.log('| mm | ' + mm.map((d) => String(d)).join(' | ') + ' |');
  console.log('|---|' + mm.map(() => '---').join('|') + '|');
  console.log('| coverage % | ' + cov.map(pct).join(' | ') + ' |');
  console.log('| k | ' + (c.kPoints ?? mm.map(() => c.scale)).map((k) => k.toFixed(2)).join(' | ') + ' |');
  if (c.pointRule) console.log('| rule | ' + c.pointRule.join(' | ') + ' |');
}

for (const seed of csv ? seeds : []) {
  const parsed = parseJominyCsv(readFileSync(csv!, 'utf8'));
  run(csv!.split('/').pop()!, parsed.samples, parsed.layout, seed);
}
if (!process.argv.includes('--no-synthetic')) {
  const heats = generateSynthetic({ n: 810, seed: HEATS_SEED });
  const model = trainPredictor(heats, { seed: PREDICTOR_SEED, ...(quick ? { maxHidden: 3, epochs: 40 } : {}) });
  const t = performance.now();
  const ens = trainEnsemble(heats, model, { size: 5 });
  const c = ens.calibration as typeof ens.calibration & { kPoints?: number[] };
  const low = c.coveragePoints.reduce<number | null>((m, v) => (v === null ? m : m === null ? v : Math.min(m, v)), null);
  console.log(`\n### synthetic 810 heats (seed ${HEATS_SEED}), predictor seed ${PREDICTOR_SEED}: ${c.heats} held-out heats, ${c.cells} cells; pooled ${pct(c.coverage)} %, lowest point ${pct(low)} % (${((performance.now() - t) / 1000).toFixed(0)} s)`);
  const mm = modelDistances(model);
  console.log('| mm | ' + mm.join(' | ') + ' |');
  console.log('| coverage % | ' + c.coveragePoints.map(pct).join(' | ') + ' |');
  console.log('| k | ' + (c.kPoints ?? mm.map(() => c.scale)).map((k) => k.toFixed(2)).join(' | ') + ' |');
}

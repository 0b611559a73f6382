// JoMiner ensemble, calibration and trust region (issue 12). Prints:
//  1. training time of one predictor vs its ensemble of M (estimated before it started, and measured);
//  2. the ensemble's held-out coverage of its nominal 90 % interval, per data seed;
//  3. the trust region's effect on the synthetic protocol (810 heats, 243 test-heat targets, Q = 50, NG = 100):
//     ε against the predictor, the honest ε against the generating model, and designs outside the domain,
//     with the penalties (disagreement weight 1, domain weight 1: the design defaults) and without (the paper's GA).
// Run: npx tsx bench/jominy-trust.ts [--quick] [--seeds 2021,2022] [--targets N]
import { availableParallelism } from 'node:os';
import {
  generateSynthetic, trainPredictor, trainEnsemble, evaluationTasks, runDesignsInPool, summarise, dataPercentileRanges, synthTruthProfile, arrayToChem, ELEMENT_LIMITS, ELEMENTS,
  type PredictorWithEnsemble, type ObjectiveKind,
} from '../core/jominy/index.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};
const quick = process.argv.includes('--quick');
const seeds = (arg('--seeds') ?? '2021,2022,2023').split(',').map(Number);
const maxTargets = Number(arg('--targets') ?? 243);
const M = 5;
const train = quick ? { maxHidden: 3, epochs: 40 } : {};
const rows: string[] = [];
const log = (s: string) => {
  rows.push(s);
  console.error(s);
};

log(`| data seed | model seed | predictor s | ensemble (M=${M}) s | estimated s | coverage (nominal 90 %) | uncalibrated | scale | test MAE predictor / ensemble mean |`);
log('|---|---|---|---|---|---|---|---|---|');
let first: { heats: ReturnType<typeof generateSynthetic>; model: PredictorWithEnsemble } | null = null;
for (const dataSeed of seeds) {
  const heats = generateSynthetic({ n: 810, seed: dataSeed });
  let t = performance.now();
  const model: PredictorWithEnsemble = trainPredictor(heats, { seed: 7, ...train });
  const tModel = (performance.now() - t) / 1000;
  t = performance.now();
  model.ensemble = trainEnsemble(heats, model, { size: M, predictorSeconds: tModel });
  const tEns = (performance.now() - t) / 1000;
  const c = model.ensemble.calibration;
  log(`| ${dataSeed} | 7 | ${tModel.toFixed(1)} | ${tEns.toFixed(1)} | ${model.ensemble.estimatedSeconds?.toFixed(1)} | ${c.coverage === null ? "not measured (too few held-out heats)" : `${(100 * c.coverage).toFixed(1)} %`} of ${c.cells} cells | ${(100 * c.rawCoverage).toFixed(1)} % | ${c.scale.toFixed(2)} | ${c.predictorMae.toFixed(2)} / ${c.ensembleMeanMae.toFixed(2)} |`);
  first ??= { heats, model };
}

const { heats, model } = first!;
const targets = model.split.testIndices.slice(0, maxTargets).map((i) => heats[i]);
const box = dataPercentileRanges(model.domain);
const constraints = { min: box.min, max: box.max, linear: [] };
const elMax = ELEMENTS.map((el) => ELEMENT_LIMITS[el]);
const truth = (chem: number[]) => synthTruthProfile(arrayToChem(chem));
log('');
log(`Trust region on data seed ${seeds[0]}: ${targets.length} targets (test heats), Q = 50, NG = 100, r = 3, α = 15, ranges data P1–P99, GA seed 1, ${availableParallelism()} threads`);
log('| objective | penalties | ε vs predictor | honest ε vs generating model | out of domain | s |');
log('|---|---|---|---|---|---|');
for (const kind of ['base', 'cost'] as ObjectiveKind[]) {
  for (const [label, sdWeight, domainWeight] of [['none (paper GA)', 0, 0], ['sd 1, domain 1 (defaults)', 1, 1], ['sd 3, domain 3', 3, 3]] as const) {
    const tasks = evaluationTasks(targets, kind, constraints, { population: 50, generations: 100, r: 3, alpha: 15, domainWeight }, 1).map((t) => ({ ...t, input: { ...t.input, trust: { sdWeight } } }));
    const t = performance.now();
    const res = await runDesignsInPool(model, tasks);
    const s = summarise(targets, res, { r: 3, alpha: 15, objective: kind }, elMax, truth);
    log(`| ${kind} | ${label} | ${s.profile.eps.toFixed(3)} | ${s.truth!.eps.toFixed(3)} | ${s.outOfDomain} / ${targets.length} (${((100 * s.outOfDomain) / targets.length).toFixed(1)} %) | ${((performance.now() - t) / 1000).toFixed(1)} |`);
  }
}
console.log(rows.join('\n'));

// Shared by the JoMiner search benches: the paper's synthetic protocol (810 heats, seed 2021; predictor seed 7;
// its 30 % test split = 243 target heats), with the trained predictor cached in the OS temp folder so a second
// bench (or a rerun) does not train again. The cache key holds the generator id and a version of the predictor file (domain2: pair coverage), so either change retrains.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSynthetic, trainPredictor, trainEnsemble, SYNTH_MODEL_ID, type EnsembleModel, type PredictorModel, type CompleteSample } from '../core/jominy/index.js';

export const HEATS_SEED = 2021;
export const PREDICTOR_SEED = 7;

/** `--predictor-seed S` trains (and caches) another predictor on the same heats, to see what depends on one fit. */
export function protocol(quick: boolean, predictorSeed = Number(argValue('--predictor-seed') ?? PREDICTOR_SEED)): { heats: CompleteSample[]; model: PredictorModel; targets: CompleteSample[]; trainSeconds: number | null } {
  const heats = generateSynthetic({ n: 810, seed: HEATS_SEED });
  const opts = { seed: predictorSeed, ...(quick ? { maxHidden: 3, epochs: 40 } : {}) };
  const file = join(tmpdir(), `ferrolab-bench-jominy-domain2-${SYNTH_MODEL_ID}-${HEATS_SEED}-${predictorSeed}${quick ? '-quick' : ''}.json`);
  let model: PredictorModel;
  let trainSeconds: number | null = null;
  if (existsSync(file)) model = JSON.parse(readFileSync(file, 'utf8')) as PredictorModel;
  else {
    const t = performance.now();
    model = trainPredictor(heats, opts);
    trainSeconds = (performance.now() - t) / 1000;
    writeFileSync(file, JSON.stringify(model));
  }
  return { heats, model, targets: model.split.testIndices.map((i) => heats[i]), trainSeconds };
}

/** The predictor's M-member ensemble (trainEnsemble, its own derived seeds), cached beside the predictor file. */
export function protocolEnsemble(heats: CompleteSample[], model: PredictorModel, quick: boolean, size = 5): { ensemble: EnsembleModel; trainSeconds: number | null } {
  const file = join(tmpdir(), `ferrolab-bench-jominy-ensemble1-${SYNTH_MODEL_ID}-${HEATS_SEED}-${model.seed}-${size}${quick ? '-quick' : ''}.json`);
  if (existsSync(file)) return { ensemble: JSON.parse(readFileSync(file, 'utf8')) as EnsembleModel, trainSeconds: null };
  const t = performance.now();
  const ensemble = trainEnsemble(heats, model, { size });
  writeFileSync(file, JSON.stringify(ensemble));
  return { ensemble, trainSeconds: (performance.now() - t) / 1000 };
}

export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function printTable(title: string, head: string[], rows: string[][]): void {
  const w = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  console.log(`\n${title}`);
  console.log(head.map((h, k) => h.padEnd(w[k])).join('  '));
  console.log(w.map((x) => '-'.repeat(x)).join('  '));
  for (const r of rows) console.log(r.map((c, k) => (k === 0 ? c.padEnd(w[k]) : c.padStart(w[k]))).join('  '));
}

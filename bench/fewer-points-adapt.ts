/**
 * "Measure fewer points" (issue 11 §6, task 20-B): can a base-trained CNN reach K = 8 MAE ≤ 0.008 wt.% on the
 * low-carbon billets by ADAPTING the network itself with the K readings (not only its output's level/slope)?
 * Model: test/helpers/base-model-fixture.ts (compact 32 px, base billet 7, 229 training points, texture blend;
 * seed 42 is the fixture's model, other seeds are trained the same way here). Billets, K-point proposals and
 * draws as the workflow's K-curve (`fewerPoints.curve`): proposePoints on the model's predictions, draw d seeded
 * deriveSeed(1, d); MAE on the points NOT analysed against their readings. Per draw:
 *   krig      the workflow's correction today: level/slope + residual kriging (expectedMaeByK, identical draws);
 *   R16       (a) ridge head on the penultimate features (16), base training points + K points at weight w, w by
 *             leave-one-out on the K points (bench/_adapt-ridge.ts);
 *   R16T      (a) the same with the texture line's value as a 17th feature (the blend re-weighted too);
 *   R16T+kr   R16T then the workflow's level/slope + kriging fitted to its LEAVE-ONE-OUT residuals at the K points;
 *   head      (b1) the dense head fine-tuned from the base weights on the frozen conv features of base + K points
 *             (8 views each, K points repeated w× with R16T's w, capped at 30), 10 epochs, lr 5e-4, then blended
 *             with the texture line at the model's weight;
 *   all       (b2, `--all`, K = 8 only) every layer fine-tuned, 3 epochs, lr 2e-4, same data, then blended.
 *   npx tsx bench/fewer-points-adapt.ts [--seeds=42,43] [--draws=5] [--ks=4,8,16] [--all]
 *
 * Measured: see the table below (filled in from the run).
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { baseModelFixture, loadVariant, BASE_MODEL_SETTINGS } from '../test/helpers/base-model-fixture.js';
import type { TrainJobResult } from '../core/services/cnn/index.js';
import { createModelsRepo } from '../core/store/repos/models-repo.js';
import { readModelDir, modelFromArtifacts } from '../core/ml/model-io.js';
import { ensureBackend } from '../core/ml/backend.js';
import { modelInputNorm, normalisePatch } from '../core/ml/input-norm.js';
import { recordScale } from '../core/services/cnn/model-scale.js';
import { modelPriorSd, modelResidualVariogram, toMeasured } from '../core/services/fewer-points/plan-view.js';
import { expectedMaeByK, proposePoints, fitKrigedCorrection, krigedValue, DEFAULT_VALUE_WEIGHT, TTA_SPREAD_WIDTH_WEIGHT } from '../core/segregation/fewer-points/index.js';
import { blendValue, predictDarkFraction } from '../core/segregation/cnn/texture-blend.js';
import { deriveSeed } from '../core/runtime/random.js';
import type { CnnMetrics } from '../core/api/methods/cnn.js';
import type { ArchitectureSpec } from '../core/ml/architecture.js';
import type { TargetScaling } from '../core/ml/tta.js';
import { adaptHead, adaptDelta, dualLooMae, standardiser, predictRow, type Row } from './_adapt-ridge.js';
import { featuresOf, fineTuneHead, fineTuneAll, type PatchFeatures } from './_adapt-net.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const seeds = arg('seeds', '42,43').split(',').map(Number);
const draws = Number(arg('draws', '5'));
const KS = arg('ks', '4,8,16').split(',').map(Number);
const ALL = process.argv.includes('--all');
/** The model seeds the (slow) all-layer fine-tune runs for (default: the first). */
const ALL_SEEDS = new Set(arg('all-seeds', arg('seeds', '42,43').split(',')[0]).split(',').map(Number));
const ORACLE = process.argv.includes('--oracle');
const REPEAT = process.argv.some((a) => a.startsWith('--repeat=')) ? Number(arg('repeat', '1')) : null;
const BILLETS: Array<[string, number]> = [['low-carbon', 11], ['low-carbon', 21], ['low-carbon', 41], ['stirring', 13], ['stirring', 23], ['stirring', 43], ['base', 31]];
const VARIANTS = ['krig', 'R16', 'R16T', 'R16T+kr', 'dR16T', 'head', ...(ALL ? ['all'] : [])] as const;
type Variant = (typeof VARIANTS)[number];

const mean = (a: readonly number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const pick = <T,>(a: readonly T[], idx: readonly number[]) => idx.map((i) => a[i]);
const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(0);

const fx = await baseModelFixture();
await ensureBackend('wasm');
try {
  const modelIds = new Map<number, number>([[BASE_MODEL_SETTINGS.train.seed, fx.modelId]]);
  for (const seed of seeds) {
    if (modelIds.has(seed)) continue;
    const t = BASE_MODEL_SETTINGS.train;
    const end = await fx.ctx.jobs.wait((await fx.api['cnn.train']({ ...t, seed, billetIds: [fx.baseBilletId], architecture: { ...t.architecture, dense: [...t.architecture.dense] } })).id);
    if (end.state !== 'done') throw new Error(`seed ${seed}: ${end.error?.message}`);
    modelIds.set(seed, (end.result as TrainJobResult).modelId);
    console.log(`model seed ${seed} trained (${secs()} s)`);
  }
  // result[seed][billet][variant][k] = { mae per draw, coverage per draw }
  const table: Array<{ seed: number; billet: string; v: Variant; k: number; mae: number[]; cov: number[]; w: number[] }> = [];
  for (const seed of seeds) {
    const id = modelIds.get(seed)!;
    const rec = createModelsRepo(fx.ctx.db).get(id);
    const arch = rec.architecture as ArchitectureSpec;
    const scaling = (rec.hyper as { targetScaling: TargetScaling }).targetScaling;
    const metrics = rec.metrics as CnnMetrics;
    const blend = metrics.blend ?? null;
    const norm = modelInputNorm(rec.hyper);
    const net = await modelFromArtifacts(readModelDir(join(fx.ctx.paths.root, rec.path)));
    const priorSd = modelPriorSd(fx.ctx.db, id);
    const variogram = modelResidualVariogram(fx.ctx.db, id);
    const load = async (billetId: number) => {
      const r = await fx.ctx.services.cnn.loadBilletPoints(billetId, { inputSize: arch.inputSize, scale: recordScale(rec).scale, clahe: (rec.hyper as { clahe?: boolean }).clahe === false ? null : undefined, requireReadings: false });
      return r.points.map((p) => ({ label: p.label, carbon: p.carbon, input: normalisePatch(p.patch, norm) }));
    };
    const trainLabels = new Set(metrics.final.trainPoints.map((p) => p.label));
    const basePts = (await load(fx.baseBilletId)).filter((p) => trainLabels.has(p.label) && p.carbon !== null);
    const baseF = await featuresOf(net, basePts.map((p) => p.input), arch.inputSize, scaling);
    const baseY = basePts.map((p) => p.carbon!);
    const baseTex = blend ? basePts.map((p) => predictDarkFraction(blend.texture, p.input)) : null;
    // the ridge features: penultimate (R16) and penultimate + texture (R16T), standardised on the base rows
    const raw16 = (f: PatchFeatures, i: number) => f.pen[i];
    const raw16T = (f: PatchFeatures, i: number, tex: readonly number[] | null) => [...f.pen[i], tex ? tex[i] : 0];
    const std16 = standardiser(baseY.map((y, i) => ({ x: raw16(baseF, i), y })));
    const std16T = standardiser(baseY.map((y, i) => ({ x: raw16T(baseF, i, baseTex), y })));
    const base16: Row[] = baseY.map((y, i) => ({ x: std16(raw16(baseF, i)), y }));
    const base16T: Row[] = baseY.map((y, i) => ({ x: std16T(raw16T(baseF, i, baseTex)), y }));
    const beta0 = adaptHead(base16T, [], [0]).beta; // the base head refitted on its own training points (the prior of dR16T)
    console.log(`\nmodel seed ${seed} (id ${id}): ${basePts.length} base training points, priorSd ${priorSd.toFixed(4)}, blend weight ${blend?.cnnWeight ?? 'none'} (${secs()} s)`);

    for (const [variant, bseed] of BILLETS) {
      const billetId = await loadVariant(fx.ctx, variant as never, bseed);
      const pred = await fx.ctx.services.cnn.predict(id, billetId, {});
      const measured = toMeasured(pred.points);
      const pts = await load(billetId);
      const byLabel = new Map(pts.map((p) => [p.label, p]));
      const inputs = measured.map((m) => byLabel.get(m.label)!.input);
      const F = await featuresOf(net, inputs, arch.inputSize, scaling);
      const tex = blend ? inputs.map((x) => predictDarkFraction(blend.texture, x)) : null;
      const y = measured.map((m) => m.reading);
      const rows16 = measured.map((m, i) => ({ x: std16(raw16(F, i)), y: m.reading }));
      const rows16T = measured.map((m, i) => ({ x: std16T(raw16T(F, i, tex)), y: m.reading }));
      const b = `${variant} ${bseed}`;
      if (ORACLE) {
        // floors for the head: ridge on this billet's OWN readings, leave-one-out over all its points (84 readings each)
        const flatMean = (f: PatchFeatures, i: number) => { const n = f.flat[i].length / 8; const m = new Array<number>(n).fill(0); for (let v = 0; v < 8; v++) for (let j = 0; j < n; j++) m[j] += f.flat[i][v * n + j] / 8; return m; };
        const sets: Array<[string, number[][]]> = [['pen16', measured.map((_, i) => raw16(F, i))], ['pen16+tex', measured.map((_, i) => raw16T(F, i, tex))], ['out', measured.map((m) => [m.predicted])]];
        const flat = measured.map((_, i) => flatMean(F, i));
        const stdFlat = standardiser(flat.map((x) => ({ x, y: 0 })));
        const fl = [1, 10, 100, 1000].map((lambda) => dualLooMae(flat.map((x) => stdFlat(x)), y, lambda));
        const words = sets.map(([name, X]) => {
          const std = standardiser(X.map((x) => ({ x, y: 0 })));
          const rows = X.map((x, i) => ({ x: std(x), y: y[i] }));
          const res = [0.1, 1, 10, 100].map((lambda) => mean(rows.map((r, j) => Math.abs(predictRow(adaptHead([], rows.filter((_, i) => i !== j), [1], lambda).beta, r.x) - r.y))));
          return `${name} ${Math.min(...res).toFixed(4)} (λ ${[0.1, 1, 10, 100][res.indexOf(Math.min(...res))]})`;
        });
        console.log(`${variant} ${bseed} own-readings LOO floor: ${words.join(', ')}, flat ${Math.min(...fl).toFixed(4)} (λ ${[1, 10, 100, 1000][fl.indexOf(Math.min(...fl))]})`);
        continue;
      }
      const curve = expectedMaeByK(measured, { ks: KS, draws, seed: 1, priorSd, widthWeight: TTA_SPREAD_WIDTH_WEIGHT, method: 'residual-kriging', variogram });
      for (const row of curve.rows) table.push({ seed, billet: b, v: 'krig', k: row.k, mae: [row.mae], cov: [row.coverage], w: [] });
      for (const k of KS) {
        const acc = new Map<Variant, { mae: number[]; cov: number[]; w: number[] }>(VARIANTS.filter((v) => v !== 'krig').map((v) => [v, { mae: [], cov: [], w: [] }]));
        for (let d = 0; d < draws; d++) {
          const chosen = proposePoints(measured, { k, seed: deriveSeed(1, d), widths: measured.map((m) => m.width!), widthWeight: TTA_SPREAD_WIDTH_WEIGHT, values: measured.map((m) => m.predicted), valueWeight: DEFAULT_VALUE_WEIGHT }).indices;
          const inK = new Set(chosen);
          const rest = measured.map((_, i) => i).filter((i) => !inK.has(i));
          const score = (v: Variant, value: (i: number) => number, half?: (i: number) => number, w?: number) => {
            const a = acc.get(v)!;
            a.mae.push(mean(rest.map((i) => Math.abs(value(i) - y[i]))));
            if (half) a.cov.push(mean(rest.map((i) => (Math.abs(value(i) - y[i]) <= half(i) ? 1 : 0))));
            if (w !== undefined) a.w.push(w);
          };
          const h16 = adaptHead(base16, pick(rows16, chosen));
          score('R16', (i) => predictRow(h16.beta, rows16[i].x), undefined, h16.weight);
          const h16T = adaptHead(base16T, pick(rows16T, chosen));
          const v16T = (i: number) => predictRow(h16T.beta, rows16T[i].x);
          score('R16T', v16T, undefined, h16T.weight);
          const dh = adaptDelta(beta0, pick(rows16T, chosen));
          score('dR16T', (i) => dh.predict(rows16T[i].x), undefined, dh.lambda);
          // the workflow's correction on top, fitted to the adapted model's leave-one-out residuals at the K points
          const kc = fitKrigedCorrection(chosen.map((i, j) => ({ xMm: measured[i].xMm, yMm: measured[i].yMm, predicted: h16T.loo[j], reading: y[i] })), variogram, { priorSd });
          const kv = (i: number) => krigedValue(kc, v16T(i), measured[i].xMm, measured[i].yMm, 0.9);
          score('R16T+kr', (i) => kv(i).value, (i) => kv(i).halfWidth);
          const repeat = REPEAT ?? Math.max(1, Math.min(30, h16T.weight));
          const kF: PatchFeatures = { flat: pick(F.flat, chosen), pen: pick(F.pen, chosen) };
          const restF: PatchFeatures = { flat: pick(F.flat, rest), pen: pick(F.pen, rest) };
          const blendAt = (vals: number[]) => (i: number) => { const r = rest.indexOf(i); return blend && tex ? blendValue(blend, vals[r], tex[i]) : vals[r]; };
          const headVals = await fineTuneHead(net, scaling, baseF, baseY, kF, pick(y, chosen), restF, { epochs: 10, learningRate: 5e-4, repeat, seed: deriveSeed(seed, d) });
          score('head', blendAt(headVals), undefined, repeat);
          if (ALL && k === 8 && ALL_SEEDS.has(seed)) {
            const allVals = await fineTuneAll(net, scaling, arch.inputSize, basePts.map((p) => p.input), baseY, pick(inputs, chosen), pick(y, chosen), pick(inputs, rest), { epochs: 3, learningRate: 2e-4, repeat, seed: deriveSeed(seed, d) });
            score('all', blendAt(allVals), undefined, repeat);
          }
        }
        for (const [v, a] of acc) if (a.mae.length) table.push({ seed, billet: b, v, k, ...a });
      }
      const row = (v: Variant) => KS.map((k) => table.find((r) => r.seed === seed && r.billet === b && r.v === v && r.k === k)).map((r) => (r ? mean(r.mae).toFixed(4) : '   -  ')).join(' ');
      console.log(`${b.padEnd(14)} K=${KS.join('/')}  ` + VARIANTS.map((v) => `${v} ${row(v)}`).join(' | ') + `  (${secs()} s)`);
    }
    net.dispose();
  }

  if (!ORACLE) {
  console.log(`\nK = 8 MAE (wt.%, mean over ${draws} draws) per billet; cov90 = coverage of the 90 % intervals on the points not analysed; w = LOO-chosen K weight (median)`);
  for (const seed of seeds) {
    console.log(`model seed ${seed}`);
    console.log('billet          ' + VARIANTS.map((v) => v.padStart(9)).join(' ') + '   cov90 krig / R16T+kr   w(R16T)');
    for (const [variant, bseed] of BILLETS) {
      const b = `${variant} ${bseed}`;
      const r = (v: Variant) => table.find((x) => x.seed === seed && x.billet === b && x.v === v && x.k === 8);
      const ws = [...(r('R16T')?.w ?? [])].sort((a, c) => a - c);
      console.log(b.padEnd(15) + VARIANTS.map((v) => (r(v) ? mean(r(v)!.mae).toFixed(4) : '-').padStart(9)).join(' ') + `   ${(mean(r('krig')!.cov) * 100).toFixed(0)} % / ${(mean(r('R16T+kr')!.cov) * 100).toFixed(0)} %   ${ws[Math.floor(ws.length / 2)]}`);
    }
  }
  for (const k of KS) {
    const lowC = (v: Variant) => mean(table.filter((x) => x.k === k && x.v === v && x.billet.startsWith('low-carbon')).map((x) => mean(x.mae)));
    const other = (v: Variant) => mean(table.filter((x) => x.k === k && x.v === v && !x.billet.startsWith('low-carbon')).map((x) => mean(x.mae)));
    console.log(`K = ${k}: mean over seeds and billets, low-carbon | stirring+base: ` + VARIANTS.map((v) => `${v} ${lowC(v).toFixed(4)} | ${other(v).toFixed(4)}`).join(';  '));
  }
  }
  console.log(`\ntotal ${secs()} s`);
} finally {
  await fx.dispose();
}
void tf;

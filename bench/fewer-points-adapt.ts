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
 *   dR16T     (a') the base head kept as a prior: the K readings fit a level and a change δ of its 17 weights,
 *             ridge λ on δ by leave-one-out on the K points (λ = 10⁹ is the level correction alone);
 *   head      (b1) the dense head fine-tuned from the base weights on the frozen conv features of base + K points
 *             (8 views each, K points repeated w× with R16T's w capped at 30, or `--repeat=N`), 10 epochs, lr 5e-4,
 *             then blended with the texture line at the model's weight; a fixed epoch count, no early stopping
 *             (nothing that is scored may steer it; the base points' own loss does not say when K points are learnt);
 *   all       (b2, `--all`, K = 8, the seeds of `--all-seeds`, default the first) every layer fine-tuned from the
 *             base weights, 3 epochs, lr 2e-4, same data and repeat, then blended.
 * `--oracle`: the floors of any head adaptation instead: ridge on the billet's OWN readings (all its points but
 * one, leave-one-out over all 85), on the penultimate features, + texture, the model's output, and the flattened
 * conv features (512, dual form) — what a new head could do with 84 readings, not 8.
 *   npx tsx bench/fewer-points-adapt.ts [--seeds=42,43] [--draws=5] [--ks=4,8,16] [--all] [--repeat=10] [--oracle]
 *
 * Measured 2026-11-30 (this commit's code; 2-core machine shared with four agents; 17 min for two model seeds,
 * 5 draws, K = 4/8/16, `--all --repeat=10`; the oracle 3–4 min per seed). MAE wt.% on the points not analysed,
 * mean over the 5 draws; cov90 = coverage of the 90 % intervals there (krig and R16T+kr are the variants with
 * intervals); w = the median LOO-chosen weight of a K point in R16T (0 = the K readings were not used at all).
 *   K = 8, model seed 42 (the fixture's):
 *     billet          krig    R16     R16T    R16T+kr dR16T   head    all     cov90 krig / R16T+kr  w
 *     low-carbon 11   0.0091  0.0089  0.0084  0.0084  0.0085  0.0100  0.0098  84 % / 87 %           1
 *     low-carbon 21   0.0159  0.0182  0.0141  0.0158  0.0157  0.0147  0.0141  92 % / 91 %           0
 *     low-carbon 41   0.0119  0.0116  0.0117  0.0114  0.0119  0.0118  0.0115  93 % / 91 %           3
 *     stirring 13     0.0075  0.0064  0.0065  0.0069  0.0081  0.0069  0.0070  92 % / 93 %           0
 *     stirring 23     0.0083  0.0077  0.0077  0.0077  0.0087  0.0081  0.0081  96 % / 96 %           0
 *     stirring 43     0.0090  0.0093  0.0088  0.0095  0.0095  0.0085  0.0085  88 % / 89 %           1
 *     base 31         0.0069  0.0076  0.0067  0.0067  0.0072  0.0069  0.0069  91 % / 87 %           3
 *   K = 8, model seed 43 (`all`: a second run, `--seeds=43 --ks=8 --all-seeds=43`, 8 min; its other columns
 *   repeated the first run's to the last digit):
 *     low-carbon 11   0.0108  0.0096  0.0095  0.0094  0.0095  0.0095  0.0091  89 % / 89 %          10
 *     low-carbon 21   0.0179  0.0196  0.0160  0.0175  0.0185  0.0151  0.0141  88 % / 88 %           1
 *     low-carbon 41   0.0123  0.0124  0.0136  0.0127  0.0122  0.0112  0.0106  93 % / 88 %          30
 *     stirring 13     0.0076  0.0068  0.0066  0.0072  0.0077  0.0070  0.0070  88 % / 87 %           1
 *     stirring 23     0.0090  0.0078  0.0074  0.0079  0.0084  0.0078  0.0073  94 % / 95 %           0
 *     stirring 43     0.0086  0.0090  0.0083  0.0083  0.0085  0.0085  0.0085  89 % / 88 %           0
 *     base 31         0.0085  0.0084  0.0076  0.0079  0.0083  0.0074  0.0067  84 % / 89 %           3
 *   Means over both seeds, low-carbon | stirring + base:
 *     K = 4    krig 0.0136 | 0.0081   R16 0.0144 | 0.0080   R16T 0.0127 | 0.0078   R16T+kr 0.0127 | 0.0079   dR16T 0.0138 | 0.0087   head 0.0127 | 0.0077
 *     K = 8    krig 0.0130 | 0.0082   R16 0.0134 | 0.0079   R16T 0.0122 | 0.0075   R16T+kr 0.0125 | 0.0078   dR16T 0.0127 | 0.0083   head 0.0121 | 0.0076
 *     K = 16   krig 0.0123 | 0.0081   R16 0.0126 | 0.0078   R16T 0.0114 | 0.0076   R16T+kr 0.0113 | 0.0079   dR16T 0.0119 | 0.0079   head 0.0120 | 0.0077
 *     all (K = 8): 0.0115 | 0.0075 (seed 42 0.0118 | 0.0076, seed 43 0.0113 | 0.0074).
 *   With the LOO-chosen repeat instead of 10 (mostly 1; seed 42, one draw) the fine-tunes were worse than krig on
 *   low-carbon: head 0.0110 / 0.0154 / 0.0135, all 0.0112 / 0.0160 / 0.0138 against 0.0091 / 0.0142 / 0.0109.
 *   `--oracle` (ridge on the billet's own readings, leave-one-out over its 85 points, best λ), seed 42 | 43:
 *     billet          penultimate  + texture      model output   flattened conv (512)
 *     low-carbon 11   0.0083|0.0092 0.0077|0.0085  0.0083|0.0087  0.0084|0.0088
 *     low-carbon 21   0.0179|0.0177 0.0144|0.0162  0.0156|0.0158  0.0126|0.0130
 *     low-carbon 41   0.0107|0.0116 0.0105|0.0113  0.0115|0.0112  0.0106|0.0117
 *     stirring 13     0.0063|0.0069 0.0063|0.0067  0.0070|0.0069  0.0062|0.0064
 *     stirring 23     0.0073|0.0076 0.0074|0.0075  0.0082|0.0081  0.0076|0.0081
 *     stirring 43     0.0082|0.0090 0.0081|0.0086  0.0082|0.0083  0.0088|0.0089
 *     base 31         0.0070|0.0085 0.0066|0.0071  0.0065|0.0075  0.0069|0.0083
 * Reading: no adaptation meets K = 8 ≤ 0.008 on the low-carbon billets — best per billet 0.0084 (11), 0.0141 (21),
 * 0.0106 (41) — and none can: a new head on any of the base CNN's layers from the flattened conv output up, fitted
 * to 84 of the billet's OWN readings, stays at best at 0.0126 / 0.0130 on low-carbon 21 and 0.0105 / 0.0112 on 41
 * (seeds 42 / 43). What the base network lost about low carbon is lost in its convolutions, and 8 readings cannot
 * retrain those (the all-layer fine-tune: 0.0141 / 0.0106–0.0115 on 21 / 41). A CNN trained on
 * the billet's own points reaches 0.0069–0.0070 held out on 21 and 41 (fewer-points-seeds.ts, 19-C): the remedy
 * is the training set, not the correction. What helps without meeting the target: the all-layer fine-tune lowers
 * the K = 8 mean by 11 % on low-carbon (0.0115 against 0.0130) and 9 % on stirring + base (0.0075 against 0.0082),
 * better on 12 of the 14 billet × seed pairs, equal on base 31 seed 42, worse on low-carbon 11 seed 42 (0.0098
 * against 0.0091); R16T and the fine-tuned head
 * by 6–7 % and 7–9 %, not billet by billet (R16T: low-carbon 41 seed 43 0.0136 against 0.0123; head: low-carbon 11
 * seed 42 0.0100 against 0.0091). R16T's LOO mostly gives the K points weight 0–3 (its gain is the head refitted
 * with the texture line as a feature, not the K readings); with the intervals the workflow needs (R16T+kr) its gain
 * falls to 4 % (0.0125 against 0.0130). The all-layer fine-tune has no intervals yet (calibrating them would take a
 * fine-tune per K point left out), its K-curve a fine-tune per draw (about 10 s here at 32 px), and its
 * repeat of 10 was fixed a priori (the LOO-chosen one was worse). Not integrated: the gain does not reach the target.
 */
import { join } from 'node:path';
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

/**
 * How often the fewer-points guard (core/segregation/fewer-points/applicability.ts, task 19-C) says "the expected MAE
 * does not apply", per billet and K, on the per-point data of bench/fewer-points-seeds.ts (no retraining). K points
 * as the workflow proposes them (20 draws, curve seed 1); the reference level shifts are those of the billets that
 * lie inside the range (all readings), the billet itself left out, as the K-curves of a lab's known billets would be.
 *   npx tsx bench/fewer-points-guard.ts [--in=/tmp/ferrolab-fewer-seeds/points.json] [--draws=20] [--seed=1]
 * Measured (task 19-C, the fixed rule's fit): see the table in the head of bench/fewer-points-seeds.ts (section 19-C).
 * Task 22-B, the level shift judged on the level fit as the workflow does whatever correction it chooses (models
 * retrained on today's kernels, 20 proposals, seed 1), share of proposals flagged (outside range | level shift | either):
 *   one base billet 7 (0.388–0.492 wt.%), seed 42 / 43       K = 4                 K = 8                 K = 16
 *     low-carbon 11, 21, 41 (49–79 % of readings outside)   75–100 % either       70–100 % either       95–100 % either
 *       of which the level shift alone                      15–35 %               15–30 %               25–85 %
 *     stirring 13, 23, 43 and base 31 (5–13 % outside)      0–10 % either         0–5 % either          0–5 % either
 *   base set 7, 17, 27 (0.351–0.512 wt.%), seed 42 / 43: low-carbon 21 (21 % of readings outside) 20 / 35 % at K = 4,
 *     25 / 50 % at K = 8, 20 / 40 % at K = 16; every other billet 0–5 %.
 * The thresholds (MAX_OUTSIDE_SHARE, MIN_OUTSIDE_COUNT, LEVEL_SHIFT_Z) stand.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { billetOutsideRange, curveApplicability, fitCorrection, correctedValue, proposePoints, DEFAULT_VALUE_WEIGHT } from '../core/segregation/fewer-points/index.js';
import { deriveSeed } from '../core/runtime/random.js';
import { modelTrainingRange } from '../core/services/fewer-points/curve-guard.js';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const input = arg('in', '/tmp/ferrolab-fewer-seeds/points.json');
const draws = Number(arg('draws', '20'));
const seed = Number(arg('seed', '1'));
const KS = [4, 8, 16];
type P = { label: string; xMm: number; yMm: number; mean: number; sd: number; reading: number };
const data = JSON.parse(readFileSync(input, 'utf8')) as { models: Array<{ seed: number; modelId: number; priorSd: number; range?: { min: number; max: number } }>; billets: Array<{ variant: string; seed: number; points: Record<string, P[]> }> };
const range = JSON.parse(arg('range', 'null')) as { min: number; max: number } | null;
// the model's training range from the data folder's store when points.json does not record it
const dbPath = join(dirname(input), 'ferrolab.sqlite');
const db = existsSync(dbPath) ? new Database(dbPath, { readonly: true, fileMustExist: true }) : null;

for (const m of data.models) {
  const r = range ?? m.range ?? (db ? modelTrainingRange(db, m.modelId) : null);
  if (!r) throw new Error('give --range={"min":…,"max":…} (the model\'s training carbon range) or a points.json that records it');
  const offsets = data.billets.map((b) => {
    const pts = b.points[m.seed];
    const inside = !billetOutsideRange(pts.map((p) => p.reading), r).outside;
    return { key: `${b.variant}|${b.seed}`, inside, offset: pts.reduce((a, p) => a + p.reading - p.mean, 0) / pts.length, share: billetOutsideRange(pts.map((p) => p.reading), r).outsideShare };
  });
  console.log(`model seed ${m.seed}: training range ${r.min}–${r.max} wt.%; share of the K draws flagged (outside range | level shift | either)`);
  console.log(`billet           all readings outside  mean offset   ${KS.map((k) => `K=${k}`.padEnd(20)).join('')}`);
  for (const b of data.billets) {
    const pts = b.points[m.seed];
    const key = `${b.variant}|${b.seed}`;
    const refs = offsets.filter((o) => o.inside && o.key !== key).map((o) => o.offset);
    const cells = KS.map((k) => {
      let out = 0, shift = 0, either = 0;
      for (let d = 0; d < draws; d++) {
        const chosen = proposePoints(pts, { k, seed: deriveSeed(seed, d), widths: null, widthWeight: 0, values: pts.map((p) => p.mean), valueWeight: DEFAULT_VALUE_WEIGHT }).indices;
        // the level shift is judged on the level fit whatever correction is chosen (core/services/fewer-points/correct-plan.ts)
        const c = fitCorrection(chosen.map((i) => ({ predicted: pts[i].mean, reading: pts[i].reading })), { priorSd: m.priorSd, trend: 'level' });
        const a = curveApplicability({ readings: chosen.map((i) => pts[i].reading), corrected: pts.map((p) => correctedValue(c, p.mean)), trainingRange: r, offset: c.offset, residualSd: c.residualSd, referenceShifts: refs });
        if (a.outsideRange) out++;
        if (a.levelShift) shift++;
        if (!a.applies) either++;
      }
      return `${(out / draws * 100).toFixed(0)}|${(shift / draws * 100).toFixed(0)}|${(either / draws * 100).toFixed(0)} %`.padEnd(20);
    });
    const o = offsets.find((q) => q.key === key)!;
    console.log(`${b.variant.padEnd(10)} ${String(b.seed).padStart(3)}   ${(o.share * 100).toFixed(0).padStart(5)} %            ${o.offset >= 0 ? '+' : ''}${o.offset.toFixed(4)}     ${cells.join('')}`);
  }
}
db?.close();

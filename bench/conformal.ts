/**
 * Coverage of the carbon CNN's calibrated intervals over a sweep of seeds (issue 11 §3): for each seed a
 * synthetic demo billet is made and the CNN trained through `cnn.train` with k random point splits; the
 * stored calibration's measured coverage is the fraction of held-out points inside a 90 % interval calibrated
 * on the OTHER splits' residuals without those points (leave-one-split-out, core/ml/conformal.ts). Printed beside
 * it: the same for the normalised (TTA-scaled) method, and what "±2 sd of the TTA views" covered.
 *   npx tsx bench/conformal.ts [--seeds=1,2,3,4,5] [--splits=5] [--epochs=15] [--variant=base]
 */
import { writeFileSync } from 'node:fs';
import { benchApp } from './_bench-app.js';
import type { TrainJobResult } from '../core/services/cnn/index.js';
import { calibrateFromSplits } from '../core/segregation/cnn/calibration.js';

const arg = (name: string, dflt: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
const seeds = arg('seeds', '1,2,3,4,5').split(',').map(Number);
const splits = Number(arg('splits', '5'));
const epochs = Number(arg('epochs', '15'));
const variant = arg('variant', 'base') as 'base' | 'stirring' | 'low-carbon';
/** --dump=FILE writes every seed's split test predictions (JSON) for a look at other calibrations. */
const dump = arg('dump', '');
const dumped: unknown[] = [];

const { api, done: wait, close } = benchApp('conformal');

const f = (v: number | null | undefined, d = 3) => (v === null || v === undefined ? '—' : v.toFixed(d));
console.log(`carbon CNN (compact 32 px, ${epochs} epochs), ${splits} random point splits, synthetic ${variant} billets (1500 px), nominal 90 %`);
console.log('seed  held-out  cov(abs)  ±hw abs   cov(norm)  mean ±hw norm  cov(±2 sd TTA)  test MAE   s');
let hits = 0;
let total = 0;
try {
  for (const seed of seeds) {
    const t0 = Date.now();
    const { billetId } = (await wait((await api['billets.loadDemo']({ seed, variant, sizePx: 1500 })).id)) as { billetId: number };
    const r = (await wait(
      (
        await api['cnn.train']({
          billetIds: [billetId],
          preset: 'compact',
          architecture: { inputSize: 32, blocks: 3, baseFilters: 8, dense: [32, 16], dropout: 0.1 },
          hyper: { epochs, patience: 8, learningRate: 0.002 },
          splits,
          refit: false,
          seed,
        })
      ).id,
    )) as TrainJobResult;
    if (dump) dumped.push({ seed, splits: r.metrics.splits.map((s) => ({ name: s.name, testPoints: s.testPoints, test: s.test })) });
    const abs = r.metrics.calibration;
    const norm = calibrateFromSplits(r.metrics.splits, { method: 'split-conformal-normalised-tta' });
    const held = r.metrics.splits.flatMap((s) => s.testPoints);
    const tta = held.filter((p) => Math.abs(p.mean - p.actual) <= 2 * p.sd).length / held.length;
    const mae = held.reduce((a, p) => a + Math.abs(p.mean - p.actual), 0) / held.length;
    if (abs?.measuredCoverage !== null && abs) {
      hits += abs.measuredCoverage * abs.coverageN;
      total += abs.coverageN;
    }
    console.log(
      `${String(seed).padEnd(5)} ${String(abs?.coverageN ?? 0).padStart(8)}  ${f(abs?.measuredCoverage).padStart(8)}  ${f(abs?.quantile, 4).padStart(7)}   ${f(norm?.measuredCoverage).padStart(9)}  ${f(norm?.meanHalfWidth, 4).padStart(13)}  ${f(tta).padStart(14)}  ${f(mae, 4).padStart(8)}  ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)}`,
    );
  }
  if (dump) writeFileSync(dump, JSON.stringify(dumped));
  console.log(`pooled coverage (absolute): ${total ? (hits / total).toFixed(3) : '—'} on ${total} held-out points`);
} finally {
  await close();
}

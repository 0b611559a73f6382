/**
 * Sizes of `npm run bench cnn`, from flags (--name=value) or environment (FERROLAB_BENCH_NAME, upper case,
 * dashes as underscores); flags win. The defaults are the figures; a quick run:
 *   npm run bench cnn -- --quick --scaling-samples=32 --map-patches=24 --tta-points=24
 */
import { physicalCores } from '../core/runtime/cores.js';

function raw(name: string): string | undefined {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (flag) return flag.slice(name.length + 3);
  return process.env[`FERROLAB_BENCH_${name.toUpperCase().replace(/-/g, '_')}`];
}

export function num(name: string, d: number): number {
  const v = raw(name);
  if (v === undefined) return d;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got "${v}"`);
  return n;
}

export function list(name: string, d: string[]): string[] {
  const v = raw(name);
  return v === undefined ? d : v.split(',').map((s) => s.trim()).filter(Boolean);
}

export const has = (flag: string): boolean => process.argv.includes(`--${flag}`) || process.env[`FERROLAB_BENCH_${flag.toUpperCase().replace(/-/g, '_')}`] === '1';

export const benchOptions = {
  quick: has('quick'),
  /** Side of the paper model's input in the forward/train table (paper: 224). */
  paperSize: num('paper-size', 224),
  paperBatch: num('paper-batch', 8),
  /** Workers of the scaling table: 1 … maxWorkers (default: physical cores, at least 2). */
  maxWorkers: num('max-workers', Math.max(2, physicalCores())),
  /** Worker counts of the scaling table (default 1 … maxWorkers; e.g. 1,2,4,8,16 on a large machine). */
  scalingWorkers: list('scaling-workers', []).map((w) => {
    const n = Number(w);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--scaling-workers takes whole numbers ≥ 1, got "${w}"`);
    return n;
  }),
  /** Parts of the bench left out: models, kernels, inference, scaling, torch (e.g. --skip=kernels,scaling). */
  skip: list('skip', []),
  /** Input side of the scaling table (default 64 px; 224 is the paper's input: minutes per row on 2 cores). */
  scalingSize: num('scaling-size', 64),
  /** Samples per epoch in the scaling table (paper preset at the scaling size; compact) and its batch. */
  scalingPaperSamples: num('scaling-samples', 64),
  scalingCompactSamples: num('scaling-compact-samples', 512),
  scalingBatch: num('scaling-batch', 16),
  /** Epochs timed per row after the untimed warm-up epochs (worker start-up, kernel set-up, V8's JIT warm-up). */
  scalingEpochs: num('scaling-epochs', 1),
  /**
   * Steps of the untimed warm-up per row (whole epochs, at least one): V8 keeps optimizing the workers' JavaScript
   * on background threads for a few dozen steps, which on 2 cores takes time from 2 workers but not from 1.
   */
  scalingWarmupSteps: num('scaling-warmup-steps', 32),
  mapPatches: num('map-patches', 97),
  ttaPoints: num('tta-points', 85),
  /** Presets whose map/TTA throughput is measured (paper at 224 px: minutes per map on 2 cores). */
  inferencePresets: list('inference-presets', ['compact']),
  torch: !has('no-torch') && !list('skip', []).includes('torch'),
  /** Backends to bench (default: the whole chain; e.g. --backends=wasm for a quick run). */
  backends: list('backends', []),
};

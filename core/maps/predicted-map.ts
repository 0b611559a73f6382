import { cancellationOf } from '../runtime/cancelled.js';
import { strideGrid } from './section-grid.js';
import { MASK, type FieldGrid, type MaskReason } from './types.js';

/**
 * Predicted map: a model evaluated on a dense lattice of patch centres over the whole section.
 *
 * The model side is abstract here: a `PatchPredictor` gets patch centres in mm (billet centre origin,
 * x right, y down) and returns the TTA mean and sd of carbon in wt.% for each, or a mask reason when
 * its quality gate refuses the patch (porosity, low etch contrast, patch off the section). Masked cells
 * stay empty — they are never filled from neighbours.
 */
export interface PatchCentre {
  xMm: number;
  yMm: number;
}

export interface PatchPrediction {
  /** TTA mean of the predicted carbon, wt.%. */
  mean: number;
  /** Spread over the TTA views, wt.%. */
  sd: number;
  /** Set when the quality gate refused the patch; mean/sd are then ignored. */
  masked?: Exclude<MaskReason, 'outside'> | 'outside' | null;
}

/** What the CNN side provides: one prediction per centre, in order. May use workers/all cores inside. */
export type PatchPredictor = (centres: readonly PatchCentre[], signal: AbortSignal) => Promise<PatchPrediction[]>;

export interface PredictProgress {
  done: number;
  total: number;
}

export interface PredictedMapOptions {
  radiusMm: number;
  /** Lattice spacing in mm (default: `defaultStrideMm(2R)`, about a thousand patches). */
  strideMm?: number;
  /** Patch centres closer than this to the rim are masked `outside` (half the patch side keeps whole patches on the section). */
  rimMarginMm?: number;
  /** Patches per predictor call (default 64): the granularity of progress and cancellation. */
  batchSize?: number;
  /** Predictor calls kept in flight at once (default 1); a predictor backed by a worker pool wants one per worker. */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (p: PredictProgress) => void;
  /**
   * Masks a patch before the predictor sees it (e.g. `porosityPremask`: pores found on the section). Masked cells
   * are counted under their reason and never predicted.
   */
  premask?: (c: PatchCentre) => MaskReason | null;
}

export interface PredictedMap {
  grid: FieldGrid;
  strideMm: number;
  patchCount: number;
  maskedCounts: Record<MaskReason, number>;
}

/** Target number of patches of the default lattice. */
export const DEFAULT_PATCH_TARGET = 1000;

/** Stride giving ≈ DEFAULT_PATCH_TARGET patch centres on a disc of this diameter (600 mm → 16.8 mm, ~1000 patches). */
export function defaultStrideMm(diameterMm: number): number {
  const s = diameterMm * Math.sqrt(Math.PI / 4 / DEFAULT_PATCH_TARGET);
  return Math.round(s * 10) / 10;
}

/** Patch centres of the lattice that lie on the section (minus the rim margin), in lattice order. */
export function patchLattice(radiusMm: number, strideMm: number, rimMarginMm = 0): { grid: FieldGrid; centres: PatchCentre[]; cells: number[] } {
  const grid = strideGrid(radiusMm, strideMm);
  const lim = radiusMm - rimMarginMm;
  const centres: PatchCentre[] = [];
  const cells: number[] = [];
  for (let j = 0; j < grid.ny; j++) {
    for (let i = 0; i < grid.nx; i++) {
      const k = j * grid.nx + i;
      if (grid.mask[k] !== MASK.valid) continue;
      const x = grid.x0Mm + i * grid.stepMm;
      const y = grid.y0Mm + j * grid.stepMm;
      if (Math.hypot(x, y) > lim + 1e-9) {
        grid.mask[k] = MASK.outside;
        continue;
      }
      centres.push({ xMm: x, yMm: y });
      cells.push(k);
    }
  }
  return { grid, centres, cells };
}


/** Runs the predictor over the lattice in batches; throws an AbortError as soon as `signal` fires. */
export async function predictedMap(predictor: PatchPredictor, opts: PredictedMapOptions): Promise<PredictedMap> {
  const strideMm = opts.strideMm ?? defaultStrideMm(2 * opts.radiusMm);
  const lattice = patchLattice(opts.radiusMm, strideMm, opts.rimMarginMm ?? 0);
  const { grid } = lattice;
  const maskedCounts: Record<MaskReason, number> = { outside: 0, porosity: 0, lowContrast: 0, quality: 0 };
  const centres: PatchCentre[] = [];
  const cells: number[] = [];
  lattice.centres.forEach((c, q) => {
    const why = opts.premask?.(c) ?? null;
    if (why) {
      grid.mask[lattice.cells[q]] = MASK[why];
      maskedCounts[why]++;
    } else {
      centres.push(c);
      cells.push(lattice.cells[q]);
    }
  });
  const batch = opts.batchSize ?? 64;
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`batch size must be a positive integer, got ${batch}`);
  const signal = opts.signal ?? new AbortController().signal;
  grid.sd = new Float64Array(grid.nx * grid.ny).fill(Number.NaN);
  const conc = opts.concurrency ?? 1;
  if (!Number.isInteger(conc) || conc < 1 || conc > 64) throw new RangeError(`concurrency must be an integer 1…64, got ${conc}`);
  opts.onProgress?.({ done: 0, total: centres.length });
  const store = (start: number, part: PatchCentre[], out: PatchPrediction[]) => {
    if (out.length !== part.length) throw new Error(`the predictor returned ${out.length} results for ${part.length} patches`);
    for (let q = 0; q < part.length; q++) {
      const k = cells[start + q];
      const p = out[q];
      if (p.masked) {
        grid.mask[k] = MASK[p.masked];
        maskedCounts[p.masked]++;
        continue;
      }
      if (!Number.isFinite(p.mean) || !Number.isFinite(p.sd)) throw new Error(`the predictor returned a non-finite value at (${part[q].xMm}, ${part[q].yMm}) mm`);
      grid.values[k] = p.mean;
      grid.sd![k] = p.sd;
    }
  };
  let next = 0;
  let done = 0;
  let failed = false;
  // `conc` lanes each take the next batch when their previous one is stored; a cancel stops every lane
  // before its next call, and the first error wins.
  const lane = async () => {
    while (next < centres.length && !failed) {
      if (signal.aborted) throw cancellationOf(signal);
      const start = next;
      next += batch;
      const part = centres.slice(start, start + batch);
      const out = await predictor(part, signal);
      if (signal.aborted) throw cancellationOf(signal);
      store(start, part, out);
      done += part.length;
      opts.onProgress?.({ done, total: centres.length });
    }
  };
  const lanes = Array.from({ length: Math.min(conc, Math.max(1, Math.ceil(centres.length / batch))) }, () =>
    lane().catch((err: unknown) => {
      failed = true;
      throw err;
    }),
  );
  // wait for every lane to stop, so no predictor call outlives this function, then report the first error
  const settled = await Promise.allSettled(lanes);
  const bad = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (bad) throw bad.reason;
  return { grid, strideMm, patchCount: lattice.centres.length, maskedCounts };
}

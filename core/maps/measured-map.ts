import { fitThinPlateSpline, type ThinPlateSpline } from './thin-plate-spline.js';
import { fillGrid, sectionGrid } from './section-grid.js';
import type { FieldGrid, MeasuredPoint } from './types.js';
import { phrase, type Phrase } from '../api/phrase.js';

/** Written into the report and the API result so readers know how the map between the points was made. */
export const MEASURED_MAP_METHOD =
  'Thin-plate spline (r² ln r kernel with a linear trend, no smoothing) through the mean reading of every sampling point: ' +
  'exact at the points, smoothest surface between them; evaluated at cell centres and clipped to the section circle. ' +
  'Between the outermost points and the rim the surface is extrapolated, and everywhere it is limited to the range of the readings ' +
  '(a map never shows carbon lower or higher than was measured).';

/** The same note as a code, for the reader's language. */
export const MEASURED_MAP_METHOD_PHRASE: Phrase = phrase('maps.method.measured');

export const DEFAULT_CELLS_ACROSS = 161;

export interface MeasuredMap {
  grid: FieldGrid;
  spline: ThinPlateSpline;
  method: string;
  /** Points used (coincident points merged). */
  points: MeasuredPoint[];
}

/**
 * The measured carbon map of a section from its sampling points alone (no model).
 * Points must lie inside the circle; two points at the same place are merged (mean) because a spline
 * cannot pass through two values at one location.
 */
export function measuredMap(points: readonly MeasuredPoint[], radiusMm: number, opts: { cellsAcross?: number; clampToReadings?: boolean } = {}): MeasuredMap {
  const usable = points.filter((p) => Number.isFinite(p.carbonWtPct));
  if (usable.length < 3) {
    throw new RangeError(`a measured map needs readings at 3 or more sampling points (this billet has ${usable.length})`);
  }
  for (const p of usable) {
    if (Math.hypot(p.xMm, p.yMm) > radiusMm * 1.0001) {
      throw new RangeError(`point ${p.label} at (${p.xMm.toFixed(1)}, ${p.yMm.toFixed(1)}) mm lies outside the ${2 * radiusMm} mm section`);
    }
  }
  const merged = mergeCoincident(usable, radiusMm * 1e-6);
  const tps = fitThinPlateSpline(
    merged.map((p) => ({ x: p.xMm, y: p.yMm, value: p.carbonWtPct })),
    { scale: radiusMm },
  );
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of merged) {
    lo = Math.min(lo, p.carbonWtPct);
    hi = Math.max(hi, p.carbonWtPct);
  }
  // The spline overshoots near the rim, where it extrapolates beyond the outermost ring of points;
  // limiting it to the measured range keeps min/max and area fractions tied to real readings.
  const clamp = opts.clampToReadings ?? true;
  const spline: ThinPlateSpline = clamp ? { n: tps.n, evaluate: (x, y) => Math.min(hi, Math.max(lo, tps.evaluate(x, y))) } : tps;
  const grid = fillGrid(sectionGrid(radiusMm, opts.cellsAcross ?? DEFAULT_CELLS_ACROSS), (x, y) => spline.evaluate(x, y));
  return { grid, spline, method: MEASURED_MAP_METHOD, points: merged };
}

function mergeCoincident(points: readonly MeasuredPoint[], tol: number): MeasuredPoint[] {
  const out: MeasuredPoint[] = [];
  for (const p of points) {
    const same = out.find((q) => Math.abs(q.xMm - p.xMm) <= tol && Math.abs(q.yMm - p.yMm) <= tol);
    if (!same) {
      out.push({ ...p });
      continue;
    }
    const a = same.replicates ?? 1;
    const b = p.replicates ?? 1;
    const mean = (same.carbonWtPct * a + p.carbonWtPct * b) / (a + b);
    // the merged readings' sd: each point's within sum of squares plus its mean's offset from the merged mean (exact
    // from means, counts and sds); unknown when a replicated point came without its sd
    const within = (n: number, sd: number | null | undefined) => (n < 2 ? 0 : sd === null || sd === undefined ? Number.NaN : (n - 1) * sd * sd);
    const ss = within(a, same.replicateSdWtPct) + within(b, p.replicateSdWtPct) + a * (same.carbonWtPct - mean) ** 2 + b * (p.carbonWtPct - mean) ** 2;
    same.replicateSdWtPct = Number.isFinite(ss) ? Math.sqrt(ss / (a + b - 1)) : null;
    same.carbonWtPct = mean;
    same.replicates = a + b;
    same.label = `${same.label}+${p.label}`;
  }
  return out;
}

import { MASK, type FieldGrid } from './types.js';
import { COVERAGE_RULE_HULL, coverageRegion, hullCoveredFraction, type CoverageRegion } from './coverage.js';
import type { Phrase } from '../api/phrase.js';

/**
 * Segregation indices of a section from a carbon map. Every cell of the map stands for the same area,
 * so means, standard deviations and area fractions are plain statistics over the valid cells (cells
 * masked by the quality gate or outside the circle are left out, and `coveredFraction` says how much of
 * the section that leaves).
 */
/** Where a C0 comes from: the heat's ladle carbon, the mean of the billet's readings, or a map's section mean. */
/** bulk: ladle carbon; measured-area-mean / lattice-mean: a report's reference C0 (its deciding measured map's area mean, else the model's raw patch lattice's predicted area mean); section-mean: the drawn map's own mean. */
export type C0Source = 'bulk' | 'measured-area-mean' | 'lattice-mean' | 'section-mean';

export interface IndexOptions {
  /** Ladle/bulk carbon of the heat, wt.%; when absent C0 is the section mean of the map. */
  bulkCarbonWtPct?: number | null;
  /**
   * The C0 to take every ratio with, and where it comes from (a report's one reference C0, so that every C/C0 on a
   * page uses the C0 it states); overrides `bulkCarbonWtPct`.
   */
  c0?: { wtPct: number; source: C0Source } | null;
  /** "Centre" = the disc r ≤ this × R (default 0.10). */
  centralRadiusFrac?: number;
  /** Report the area fraction with C/C0 ≥ each of these (default 1.05, 1.10). */
  thresholdsAbove?: number[];
  /** Report the area fraction with C/C0 ≤ each of these (default 0.95, 0.98). */
  thresholdsBelow?: number[];
  /** Number of equal-width r/R rings of the radial profile (default: up to 20, at least one cell wide). */
  profileBins?: number;
  /** A dip/peak of the radial profile counts as a band only if it stands out by ≥ this in C/C0 (default 0.01). */
  minBandProminence?: number;
  /**
   * Sampling points the map was interpolated from (measured maps): cells outside the region they cover
   * (coverage.ts) are extrapolated and left out of every index; `extrapolatedFraction` says how much.
   */
  coveredBy?: readonly { xMm: number; yMm: number }[];
}

export interface Extremum {
  wtPct: number;
  ratio: number;
  xMm: number;
  yMm: number;
  rOverR: number;
}

export interface ProfileBin {
  /** Ring [r0, r1) in r/R and its mid-point. */
  r0: number;
  r1: number;
  rOverR: number;
  n: number;
  /** Mean, sd, min and max of C/C0 over the ring (NaN when the ring holds no valid cell). */
  mean: number;
  sd: number;
  min: number;
  max: number;
}

export interface BandFeature {
  rOverR: number;
  rMm: number;
  ratio: number;
  /** How far the ring mean stands below (white band) or above (CET ring) its surroundings, in C/C0. */
  prominence: number;
}

export interface SegregationIndices {
  c0WtPct: number;
  c0Source: C0Source;
  sectionMeanWtPct: number;
  centralRadiusMm: number;
  /** Max C/C0 within the central disc. */
  centre: Extremum | null;
  max: Extremum;
  min: Extremum;
  sdWtPct: number;
  rangeWtPct: number;
  areaAbove: { threshold: number; fraction: number }[];
  areaBelow: { threshold: number; fraction: number }[];
  radialProfile: ProfileBin[];
  whiteBand: BandFeature | null;
  cetRing: BandFeature | null;
  /** Cells the indices are taken over / cells whose centre lies on the section (a predicted map's rim band beyond its patch lattice is uncovered). */
  coveredFraction: number;
  /** Cells inside the circle left out as extrapolated beyond the sampling points / cells inside the circle (0 without `coveredBy`). */
  extrapolatedFraction: number;
  /** How the extrapolated area was decided, printed with the indices; null when nothing was left out for it. */
  coverageRule: string | null;
  /** The same rule as a code, for the reader's language (absent in indices stored before codes). */
  coverageRulePhrase?: Phrase | null;
  cellCount: number;
  cellAreaMm2: number;
}

export const INDEX_DEFAULTS = {
  centralRadiusFrac: 0.1,
  thresholdsAbove: [1.05, 1.1],
  thresholdsBelow: [0.95, 0.98],
  minBandProminence: 0.01,
  /** r/R windows searched for the features (white band: EMS negative band in the columnar shell; CET ring: ¼R–½R and around). */
  whiteBandWindow: [0.45, 0.95] as const,
  cetWindow: [0.15, 0.7] as const,
};

/** Definitions printed in the report, one per index. */
export const INDEX_DEFINITIONS: { name: string; definition: string }[] = [
  { name: 'C0', definition: "Reference carbon: the ladle/bulk carbon of the heat when entered; otherwise, on a report, one reference for every map on it \u2014 the area mean of the measured map when its readings decide, else the predicted area mean of the model's raw patch lattice \u2014 and on a map shown alone the area-weighted mean of that map over its covered area (the cells every index is taken over: see Covered)." },
  { name: 'C/C0', definition: 'Segregation ratio: local carbon divided by C0 (>1 positive, <1 negative segregation).' },
  { name: 'Centre C/C0', definition: 'Maximum C/C0 within the central disc r ≤ r_c (r_c given in the table).' },
  { name: 'Max / min C/C0', definition: 'Largest and smallest C/C0 over the mapped section, with their position (x right, y down, mm from the centre).' },
  { name: 'Section sd', definition: 'Standard deviation of carbon (wt.%) over the mapped area (equal-area cells).' },
  { name: 'Range', definition: 'Maximum minus minimum carbon (wt.%) over the mapped area.' },
  { name: 'Area ≥ t / ≤ t', definition: 'Fraction of the mapped area whose C/C0 is at least / at most the threshold t.' },
  { name: 'Radial profile', definition: 'Mean C/C0 in equal-width rings of r/R, band = ±1 sd within the ring.' },
  { name: 'White band', definition: 'Deepest local minimum of the radial profile for r/R in 0.45–0.95 that lies at least the stated prominence below both neighbouring maxima (negative band from electromagnetic stirring).' },
  { name: 'CET ring', definition: 'Most prominent local maximum of the radial profile for r/R in 0.15–0.70 (positive segregation at the columnar-to-equiaxed transition), same prominence rule.' },
  { name: 'Covered', definition: 'Fraction of the section area the indices are taken over. A predicted map masks patches with more than 1 % of their pixels on detected pores or with low etch contrast, and the rim band outside the patch lattice; a measured map leaves out only the area extrapolated beyond the outermost sampling points — its values come from the readings, not from the section image, so pores do not mask it (readings are drilled on sound metal).' },
  { name: 'Extrapolated', definition: 'Measured map only: fraction of the section area outside the convex hull of the sampling points (between the outermost points and the rim). The spline there is extrapolated, so it is drawn but left out of every index.' },
];

/** What each cell of a grid is to the indices (`indexCellStates`). */
export const CELL = { offSection: 0, indexed: 1, masked: 2, extrapolated: 3 } as const;

/**
 * Per cell: off the section, masked (or no value), extrapolated beyond the region the sampling points cover, or taken
 * into every index. The one rule `segregationIndices` counts by and the grid CSV writes, so a cell the file says is in
 * the indices is one the figures were taken over. `coveredBy`: the measured map's points (a region, or the points).
 */
export function indexCellStates(g: FieldGrid, coveredBy?: CoverageRegion | readonly { xMm: number; yMm: number }[] | null): Uint8Array {
  const region = coveredBy ? ('contains' in coveredBy ? coveredBy : coverageRegion(coveredBy)) : null;
  const r2 = g.radiusMm * g.radiusMm * (1 + 1e-12);
  const out = new Uint8Array(g.nx * g.ny);
  for (let j = 0; j < g.ny; j++) {
    for (let i = 0; i < g.nx; i++) {
      const k = j * g.nx + i;
      const x = g.x0Mm + i * g.stepMm;
      const y = g.y0Mm + j * g.stepMm;
      if (x * x + y * y > r2) out[k] = CELL.offSection;
      else if (g.mask[k] !== MASK.valid || !Number.isFinite(g.values[k])) out[k] = CELL.masked;
      // a cell counts as covered when its centre is within half a cell of the region (a point on the hull edge lies in the cell around it)
      else if (region && !region.contains(x, y, g.stepMm / 2)) out[k] = CELL.extrapolated;
      else out[k] = CELL.indexed;
    }
  }
  return out;
}

export function segregationIndices(g: FieldGrid, opts: IndexOptions = {}): SegregationIndices {
  const R = g.radiusMm;
  const cells: { v: number; x: number; y: number; rho: number }[] = [];
  let inside = 0;
  let extrapolated = 0;
  const region = opts.coveredBy ? coverageRegion(opts.coveredBy) : null;
  // the section is every cell whose centre lies on the disc (the grids' own rule, section-grid.ts), whatever its mask:
  // a predicted map marks its rim band beyond the patch lattice "outside", and that band is section left uncovered
  const r2 = R * R * (1 + 1e-12);
  const states = indexCellStates(g, region);
  for (let j = 0; j < g.ny; j++) {
    for (let i = 0; i < g.nx; i++) {
      const k = j * g.nx + i;
      const x = g.x0Mm + i * g.stepMm;
      const y = g.y0Mm + j * g.stepMm;
      if (x * x + y * y <= r2) inside++;
      if (states[k] === CELL.extrapolated) extrapolated++;
      if (states[k] === CELL.indexed) cells.push({ v: g.values[k], x, y, rho: Math.hypot(x, y) / R });
    }
  }
  if (cells.length === 0) throw new RangeError(extrapolated ? 'the map has no valid cell inside the region the sampling points cover' : 'the map has no valid cell: everything is masked');
  const n = cells.length;
  let sum = 0;
  for (const c of cells) sum += c.v;
  const mean = sum / n;
  let ss = 0;
  for (const c of cells) ss += (c.v - mean) ** 2;
  const sd = Math.sqrt(ss / n);

  const bulk = opts.bulkCarbonWtPct;
  const useBulk = bulk !== null && bulk !== undefined && Number.isFinite(bulk) && bulk > 0;
  const given = opts.c0 ?? null;
  if (given && !(Number.isFinite(given.wtPct) && given.wtPct > 0)) throw new RangeError(`the given C0 must be a positive number of wt.%, got ${given.wtPct}`);
  const c0 = given ? given.wtPct : useBulk ? bulk : mean;
  const c0Source: C0Source = given ? given.source : useBulk ? 'bulk' : 'section-mean';
  if (!(c0 > 0)) throw new RangeError(`C0 must be positive to form C/C0 (section mean is ${mean})`);

  const ext = (c: (typeof cells)[number]): Extremum => ({ wtPct: c.v, ratio: c.v / c0, xMm: c.x, yMm: c.y, rOverR: c.rho });
  let maxC = cells[0];
  let minC = cells[0];
  for (const c of cells) {
    if (c.v > maxC.v) maxC = c;
    if (c.v < minC.v) minC = c;
  }
  const rcFrac = opts.centralRadiusFrac ?? INDEX_DEFAULTS.centralRadiusFrac;
  let centre: (typeof cells)[number] | null = null;
  for (const c of cells) if (c.rho <= rcFrac + 1e-12 && (!centre || c.v > centre.v)) centre = c;

  const above = (opts.thresholdsAbove ?? INDEX_DEFAULTS.thresholdsAbove).map((t) => ({
    threshold: t,
    fraction: cells.filter((c) => c.v / c0 >= t - 1e-12).length / n,
  }));
  const below = (opts.thresholdsBelow ?? INDEX_DEFAULTS.thresholdsBelow).map((t) => ({
    threshold: t,
    fraction: cells.filter((c) => c.v / c0 <= t + 1e-12).length / n,
  }));

  const bins = opts.profileBins ?? Math.max(4, Math.min(20, Math.floor(R / g.stepMm)));
  const profile = radialProfile(cells, c0, bins);
  const prom = opts.minBandProminence ?? INDEX_DEFAULTS.minBandProminence;
  const toFeature = (f: { k: number; prominence: number } | null): BandFeature | null =>
    f ? { rOverR: profile[f.k].rOverR, rMm: profile[f.k].rOverR * R, ratio: profile[f.k].mean, prominence: f.prominence } : null;

  // a measured map covered by its points' hull (nothing else masked) prints the hull's exact share of the section, the
  // one the acceptance rule reads: cells within half a cell of the hull gave 52.7 % at 21 cells across and 47.8 % at 201
  // for a 47.1 % hull, two figures on one page; the indices themselves stay over the covered cells
  const hullShare = region && region.rule === COVERAGE_RULE_HULL && n + extrapolated === inside ? hullCoveredFraction(opts.coveredBy!, R) : null;
  return {
    c0WtPct: c0,
    c0Source,
    sectionMeanWtPct: mean,
    centralRadiusMm: rcFrac * R,
    centre: centre ? ext(centre) : null,
    max: ext(maxC),
    min: ext(minC),
    sdWtPct: sd,
    rangeWtPct: maxC.v - minC.v,
    areaAbove: above,
    areaBelow: below,
    radialProfile: profile,
    whiteBand: toFeature(findFeature(profile, 'min', INDEX_DEFAULTS.whiteBandWindow, prom)),
    cetRing: toFeature(findFeature(profile, 'max', INDEX_DEFAULTS.cetWindow, prom)),
    coveredFraction: hullShare ?? (inside ? n / inside : 0),
    extrapolatedFraction: hullShare !== null ? 1 - hullShare : inside ? extrapolated / inside : 0,
    coverageRule: region ? region.rule : null,
    coverageRulePhrase: region ? region.rulePhrase : null,
    cellCount: n,
    cellAreaMm2: g.stepMm * g.stepMm,
  };
}

function radialProfile(cells: { v: number; rho: number }[], c0: number, bins: number): ProfileBin[] {
  if (!Number.isInteger(bins) || bins < 2 || bins > 200) throw new RangeError(`profile bins must be an integer 2…200, got ${bins}`);
  const acc = Array.from({ length: bins }, () => [] as number[]);
  for (const c of cells) acc[Math.min(bins - 1, Math.floor(c.rho * bins))].push(c.v / c0);
  return acc.map((vals, k) => {
    const r0 = k / bins;
    const r1 = (k + 1) / bins;
    if (!vals.length) return { r0, r1, rOverR: (r0 + r1) / 2, n: 0, mean: NaN, sd: NaN, min: NaN, max: NaN };
    const m = vals.reduce((a, b) => a + b, 0) / vals.length;
    const s = Math.sqrt(vals.reduce((a, b) => a + (b - m) ** 2, 0) / vals.length);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of vals) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return { r0, r1, rOverR: (r0 + r1) / 2, n: vals.length, mean: m, sd: s, min: lo, max: hi };
  });
}

/**
 * Most prominent local extremum of the profile means inside a window of r/R. Prominence follows the
 * topographic definition: for a minimum, the lower of the highest values met on each side before the
 * profile goes deeper than the candidate, minus the candidate.
 */
function findFeature(profile: ProfileBin[], kind: 'min' | 'max', win: readonly [number, number], minProm: number): { k: number; prominence: number } | null {
  const idx = profile.map((b, k) => (Number.isFinite(b.mean) ? k : -1)).filter((k) => k >= 0);
  const m = idx.map((k) => (kind === 'min' ? -profile[k].mean : profile[k].mean)); // search maxima of m
  let best: { k: number; prominence: number } | null = null;
  for (let a = 1; a < m.length - 1; a++) {
    const k = idx[a];
    if (profile[k].rOverR < win[0] || profile[k].rOverR > win[1]) continue;
    if (!(m[a] > m[a - 1] && m[a] >= m[a + 1])) continue;
    let left = m[a];
    for (let b = a - 1; b >= 0 && m[b] <= m[a]; b--) left = Math.min(left, m[b]);
    let right = m[a];
    for (let b = a + 1; b < m.length && m[b] <= m[a]; b++) right = Math.min(right, m[b]);
    const prominence = m[a] - Math.max(left, right);
    if (prominence >= minProm && (!best || prominence > best.prominence)) best = { k, prominence };
  }
  return best;
}

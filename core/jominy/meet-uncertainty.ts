import { DISTANCES_MM } from './elements.js';
import { SIXTEENTH_MM } from './dataset.js';
import { atStandard, pointScales, residualCorrelation, type Calibration, type HeldOutCells } from './calibration.js';
import { createRng, deriveSeed } from '../runtime/random.js';
import { normalCdf, normalQuantile, wilsonInterval } from './normal.js';

/**
 * What a P(meet band) rests on besides its Monte Carlo draws, measured (audit 28-C find 4). The probability takes the
 * interval's k per distance (fitted on some 90 held-out heats), a normal shape and one pooled ρ; its Monte Carlo ± says
 * nothing of those. Two figures do, both from the held-out cells the calibration stored (Calibration.heldOut):
 *   - the calibration range: P recomputed on the same draws with k and ρ refitted on bootstrap resamples of the
 *     held-out heats (whole heats, the stored rule per point), its 5–95 % — how far P moves with the heats k rests on;
 *   - the held-out check: for the design's band shape (its limits less the aim's predicted curve, in HRC) put around
 *     each held-out heat's own predicted curve, the mean P the model states for those heats against the share of them
 *     whose readings meet it — each heat at the k and ρ of the cross-fit half it was not in, so the check is of the
 *     procedure on heats it did not fit — with that share's Wilson 90 % interval over the heats. It is of heats cast at
 *     their chemistry (no melt tolerance), and it checks the normal shape and ρ as well as k.
 * The stated P itself is taken at the stored k and ρ, fitted on all the held-out heats: the check also gives the mean P
 * at those (`meanPStored`, in-sample for k) and its words name both. A design then states the widest of three ranges:
 * the Monte Carlo error's (± 2 se), the calibration range, and P moved by the held-out check's gap (P + [share lo −
 * mean P, share hi − mean P], the wider of the two mean Ps' gaps). When the check shows the model
 * overconfident for such bands, the range says so; its bounds are held in [0, 1].
 */

/** Bootstrap resamples of the held-out heats for the calibration range. */
export const CALIBRATION_REPLICATES = 200;
/** Fewest held-out heats a held-out check states a share for (fewer: not checked, said so). */
export const MIN_CHECK_HEATS = 10;
/** Nodes of the heat-level z₀ the check integrates over (midpoint quantiles of the standard normal). */
const Z0_NODES = Array.from({ length: 64 }, (_, j) => normalQuantile((j + 0.5) / 64));

/** One refit of k (at the 15 standard distances, as calibratedSd takes it) and ρ. */
export interface CalibrationReplicate {
  kStd: number[];
  rho: number;
}

/**
 * Why a P(meet band) has no held-out check: 'measured' (it has one); 'not-stored' (the predictor's calibration was
 * stored before its held-out cells were); 'band-off-points' (a bound at a distance no held-out heat measured: the
 * model's points do not include it); 'half-too-small' (a cross-fit half cannot fit k at a bound's point);
 * 'too-few-heats' (fewer than MIN_CHECK_HEATS held-out heats measured every bound's point); 'sixteenths' (the
 * predictor's points are sixteenths of an inch, none at the 15 standard mm distances a band bounds: such a predictor
 * never gets the check, said so rather than as one band's misfortune).
 */
export type MeetCheckWhy = 'measured' | 'not-stored' | 'band-off-points' | 'half-too-small' | 'too-few-heats' | 'sixteenths';

/**
 * Whether a predictor's points are a sixteenths-of-an-inch layout (every point a whole J-number × 1.5875 mm, as
 * core/jominy/csv-columns.ts stores them) with none at a standard mm distance: no band bound is ever at its points.
 */
export function sixteenthsPoints(pointsMm: readonly number[]): boolean {
  const whole = (d: number) => Math.abs(d / SIXTEENTH_MM - Math.round(d / SIXTEENTH_MM)) < 1e-6;
  return pointsMm.length > 0 && pointsMm.every(whole) && !pointsMm.some((d) => DISTANCES_MM.some((s) => Math.abs(s - d) < 1e-9));
}

export interface MeetHeldOutCheck {
  /** Held-out heats that measured every bounded point (a retest's rows share their heat's weight). */
  heats: number;
  /** Mean P(meet band) stated for them (each at its other half's k and ρ: the procedure, on heats it did not fit). */
  meanP: number;
  /**
   * The same mean P at the stored k and ρ — those the design's P is taken at, fitted on these very heats (so in-sample
   * for k): the stated P's own model, beside the procedure's. Absent in rows stored before it was computed.
   */
  meanPStored?: number;
  /** Share of them whose readings meet the band around their predicted curve, and its Wilson 90 % interval. */
  share: number;
  lo: number;
  hi: number;
}

type Cell = { heat: number; p: number; r: number; s: number; score: number };

const cellsOf = (h: HeldOutCells): Cell[] => h.row.map((row, i) => ({ heat: row, p: h.point[i], r: h.r[i], s: h.s[i], score: Math.abs(h.r[i]) / Math.max(h.s[i], 1e-9) }));

const replicateCache = new WeakMap<Calibration, CalibrationReplicate[]>();

/**
 * k and ρ refitted on CALIBRATION_REPLICATES bootstrap resamples of the held-out heats (seeded from the calibration's
 * seed, so a design's range is reproducible); resamples in which a point cannot be fitted are dropped. Null for a
 * calibration stored without its held-out cells or per-point rule.
 */
export function calibrationReplicates(c: Calibration): CalibrationReplicate[] | null {
  if (!c.heldOut || !c.pointsMm || !c.pointRule) return null;
  const hit = replicateCache.get(c);
  if (hit) return hit;
  const cells = cellsOf(c.heldOut);
  const P = c.pointsMm.length;
  // the cells of each heat (all its rows), so a resample draws whole heats
  const heats = new Map<number, Cell[]>();
  for (const cell of cells) {
    const heat = c.heldOut.rowHeat[cell.heat];
    const cs = heats.get(heat);
    if (cs) cs.push(cell);
    else heats.set(heat, [cell]);
  }
  const groups = [...heats.values()];
  const rng = createRng(deriveSeed(c.seed, 3000));
  const out: CalibrationReplicate[] = [];
  for (let b = 0; b < CALIBRATION_REPLICATES; b++) {
    const resample: Cell[] = [];
    for (let g = 0; g < groups.length; g++) {
      // a heat drawn twice counts as two heats: its rows get new numbers (ρ is counted within a row)
      const base = g * 1e6;
      for (const cell of groups[rng.int(groups.length)]) resample.push({ ...cell, heat: base + cell.heat });
    }
    const { k } = pointScales(resample, P, c.nominal, c.pointRule);
    if (!k.every(Number.isFinite)) continue;
    out.push({ kStd: atStandard(c.pointsMm, k), rho: residualCorrelation(resample, k) });
  }
  replicateCache.set(c, out);
  return out;
}

/** The p-th quantile (linear between order statistics) of values. */
export function quantileOf(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const x = p * (s.length - 1);
  const i = Math.floor(x);
  return i + 1 < s.length ? s[i] + (x - i) * (s[i + 1] - s[i]) : s[i];
}

type HalfFit = { k: number[]; rho: number };
const halfCache = new WeakMap<Calibration, HalfFit[]>();

/** k per model point and ρ fitted on each cross-fit half's cells, by the stored rule (as the stated coverage counts them). */
function halfFits(c: Calibration & { heldOut: HeldOutCells; pointsMm: number[]; pointRule: NonNullable<Calibration['pointRule']> }): HalfFit[] {
  const hit = halfCache.get(c);
  if (hit) return hit;
  const cells = cellsOf(c.heldOut);
  const fits = [0, 1].map((f) => {
    const mine = cells.filter((cell) => c.heldOut.rowHalf[cell.heat] === f);
    const { k } = pointScales(mine, c.pointsMm.length, c.nominal, c.pointRule);
    return { k, rho: k.every(Number.isFinite) ? residualCorrelation(mine, k) : 0 };
  });
  halfCache.set(c, fits);
  return fits;
}

/**
 * P(meet) of a heat whose residuals at the bounded points are sd·(√ρ·z₀ + √(1 − ρ)·z_p) and whose band, relative to
 * its predicted curve, is [lo, hi] per point: integrated over z₀ at fixed nodes (deterministic), the points
 * independent given z₀ (as robust.ts's estimator).
 */
function pMeetResidual(sd: readonly number[], lo: readonly number[], hi: readonly number[], rho: number): number {
  const a = Math.sqrt(rho);
  const b = Math.sqrt(1 - rho);
  let sum = 0;
  for (const z0 of Z0_NODES) {
    let pr = 1;
    for (let k = 0; k < sd.length && pr > 0; k++) {
      const m = sd[k] * a * z0;
      const s = Math.max(sd[k] * b, 1e-9);
      pr *= normalCdf((hi[k] - m) / s) - normalCdf((lo[k] - m) / s);
    }
    sum += pr;
  }
  return sum / Z0_NODES.length;
}

/**
 * The held-out check of a band shape: `idx` the bounded standard distances (indices into the 15), `lo`/`hi` the
 * band's limits less the predicted curve there (HRC; ±∞ where open).
 */
export function heldOutMeetCheck(c: Calibration, idx: ArrayLike<number>, lo: readonly number[], hi: readonly number[]): { check: MeetHeldOutCheck | null; why: MeetCheckWhy } {
  if (!c.heldOut || !c.pointsMm || !c.pointRule) return { check: null, why: 'not-stored' };
  const cal = c as Calibration & { heldOut: HeldOutCells; pointsMm: number[]; pointRule: NonNullable<Calibration['pointRule']> };
  const points = Array.from(idx, (i) => cal.pointsMm.findIndex((d) => Math.abs(d - DISTANCES_MM[i]) < 1e-9));
  if (points.some((p) => p < 0)) return { check: null, why: sixteenthsPoints(cal.pointsMm) ? 'sixteenths' : 'band-off-points' };
  const fits = halfFits(cal);
  if (points.some((p) => fits.some((f) => !Number.isFinite(f.k[p])))) return { check: null, why: 'half-too-small' };
  // each held-out row's residual and σ at the model's points
  const rows = new Map<number, Map<number, { r: number; s: number }>>();
  cal.heldOut.row.forEach((row, i) => {
    const m = rows.get(row) ?? new Map<number, { r: number; s: number }>();
    m.set(cal.heldOut.point[i], { r: cal.heldOut.r[i], s: cal.heldOut.s[i] });
    rows.set(row, m);
  });
  // per heat: its counted rows' P and met (a retest's rows share their heat's weight)
  const byHeat = new Map<number, { p: number; pStored: number; met: number; n: number }>();
  // the stored k at a model point (kPoints; a calibration without them takes the pooled k everywhere)
  const storedK = (p: number) => cal.kPoints?.[p] ?? cal.scale;
  for (const [row, at] of rows) {
    const cells = points.map((p) => at.get(p));
    if (cells.some((x) => x === undefined)) continue;
    const fit = fits[1 - cal.heldOut.rowHalf[row]];
    const sd = cells.map((x, k) => fit.k[points[k]] * x!.s);
    const p = pMeetResidual(sd, lo, hi, fit.rho);
    const pStored = pMeetResidual(cells.map((x, k) => storedK(points[k]) * x!.s), lo, hi, cal.rho);
    const met = cells.every((x, k) => x!.r >= lo[k] && x!.r <= hi[k]) ? 1 : 0;
    const heat = cal.heldOut.rowHeat[row];
    const h = byHeat.get(heat) ?? { p: 0, pStored: 0, met: 0, n: 0 };
    byHeat.set(heat, { p: h.p + p, pStored: h.pStored + pStored, met: h.met + met, n: h.n + 1 });
  }
  const n = byHeat.size;
  if (n < MIN_CHECK_HEATS) return { check: null, why: 'too-few-heats' };
  let sumP = 0;
  let sumPStored = 0;
  let sumMet = 0;
  for (const h of byHeat.values()) {
    sumP += h.p / h.n;
    sumPStored += h.pStored / h.n;
    sumMet += h.met / h.n;
  }
  const share = sumMet / n;
  const [wLo, wHi] = wilsonInterval(share, n);
  return { check: { heats: n, meanP: sumP / n, meanPStored: sumPStored / n, share, lo: wLo, hi: wHi }, why: 'measured' };
}

/**
 * The range a design states for P: the widest of P ± 2 se (Monte Carlo), the calibration range, and P moved by the
 * held-out check's gap (its share's interval less the mean P it stated), held in [0, 1].
 */
export function statedMeetRange(p: number, se: number, calibration: readonly [number, number] | null, check: MeetHeldOutCheck | null): [number, number] {
  let lo = p - 2 * se;
  let hi = p + 2 * se;
  if (calibration) {
    lo = Math.min(lo, calibration[0]);
    hi = Math.max(hi, calibration[1]);
  }
  if (check) {
    // the gap of the procedure (half-fit k) and of the stored k the stated P uses: the wider of the two
    for (const meanP of check.meanPStored === undefined ? [check.meanP] : [check.meanP, check.meanPStored]) {
      lo = Math.min(lo, p + check.lo - meanP);
      hi = Math.max(hi, p + check.hi - meanP);
    }
  }
  return [Math.max(0, lo), Math.min(1, hi)];
}

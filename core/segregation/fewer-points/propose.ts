import { createForkingRng } from '../../runtime/random.js';

/**
 * How much spread in predicted value counts against spread in space. Held-out on a model trained on a base
 * billet (7 billets of the three variants, K = 8, 20 draws, maximin design): 1 lowered the K = 8 MAE on the
 * low-carbon billets by 0.0005–0.0015 wt.% against 0 (plain space); 2 was no better on average.
 */
export const DEFAULT_VALUE_WEIGHT = 1;

/**
 * The width weight when the widths are the TTA spread (the only per-point width before calibrated intervals):
 * 0. Weighting by it made things worse held-out (stratified, K = 8, 20 draws: low-carbon MAE 0.0097 / 0.0176 /
 * 0.0131 wt.% with weight 1 against 0.0095 / 0.0168 / 0.0121 with 0, coverage 81–85 % against 91 %): the spread
 * of the 8 views does not say where the model is wrong (issue 11 §3). Calibrated widths are passed with 1.
 */
export const TTA_SPREAD_WIDTH_WEIGHT = 0;

export type ProposalDesign = 'stratified' | 'maximin';

/** A point of the billet's layout that may be proposed for analysis (billet-centred mm). */
export interface CandidatePoint {
  label: string;
  xMm: number;
  yMm: number;
}

export interface ProposeOptions {
  /** How many points to propose (1 … candidates − already chosen). */
  k: number;
  /** Seeds the random draws (the first pick; with `stratified` the pick within each stratum). Stored with the result. */
  seed: number;
  /**
   * Per-candidate uncertainty of the model's prediction (same order as the candidates; any positive scale,
   * e.g. an interval half-width or the TTA spread). Null: every point weighs the same.
   */
  widths?: readonly number[] | null;
  /** Exponent on width / mean width in the score (0: ignore widths). Default 1. */
  widthWeight?: number;
  /**
   * The model's prediction at each candidate (same order) and how much spread in it counts against spread in
   * space: distances are taken in (x, y, valueWeight · R · (p − mean)/range), R the candidates' radius. A slope
   * is only as good as the spread of the analysed predictions (Sxx); 0 (the default without values) is plain
   * space. The workflow passes the model's predictions with DEFAULT_VALUE_WEIGHT.
   */
  values?: readonly number[] | null;
  valueWeight?: number;
  /**
   * `stratified` (default): K strata by greedy weighted p-median, one seeded pick per stratum ∝ weight.
   * `maximin`: greedy weighted maximin (kept for comparison: it crowds the rim and extreme predictions, and
   * the level those points show is not the billet's — held-out K = 8 MAE on low-carbon billets 0.0104 /
   * 0.0203 / 0.0142 wt.% against 0.0097 / 0.0176 / 0.0131 stratified, coverage of 90 % intervals 55–78 %
   * against 81–85 %).
   */
  design?: ProposalDesign;
  /** Indices of candidates already measured: they count as chosen (points keep away from them) but are not proposed. */
  alreadyChosen?: readonly number[];
}

export interface Proposal {
  /** Proposed candidates in the order picked (indices into the candidates, and their labels). */
  indices: number[];
  labels: string[];
  /** Per pick: (maximin) its distance to the nearest point chosen before it (null for the first and for stratified picks) and its weight. */
  picks: Array<{ label: string; nearestMm: number | null; weight: number }>;
  seed: number;
  widthWeight: number;
}

/**
 * Proposes K points to analyse, spread over the section and over the range of the model's predictions (in
 * the (x, y, scaled prediction) metric) and, within that, where the model is least sure (weight =
 * (width / mean width)^widthWeight).
 * - stratified (default): greedy weighted p-median — each step adds the candidate that most lowers
 *   Σ weight · distance from every candidate to its nearest chosen point — gives K centres; every candidate
 *   joins its nearest centre's stratum; one candidate per stratum is drawn ∝ weight from the seeded stream.
 *   Every region of the billet is represented, so the K readings' mean offset is the billet's (the level
 *   correction needs that more than it needs extreme points).
 * - maximin: each step picks the candidate whose distance to the nearest chosen point, times its weight, is
 *   largest.
 * Either way the first pick (when nothing is chosen yet) is drawn ∝ weight from the seeded stream.
 */
export function proposePoints(candidates: readonly CandidatePoint[], opts: ProposeOptions): Proposal {
  const n = candidates.length;
  const already = [...new Set(opts.alreadyChosen ?? [])];
  for (const i of already) if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`alreadyChosen: no candidate ${i}`);
  const free = n - already.length;
  if (!Number.isInteger(opts.k) || opts.k < 1 || opts.k > free) throw new RangeError(`k must be an integer in 1..${free} (the points not yet measured), got ${opts.k}`);
  const alpha = opts.widthWeight ?? 1;
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new RangeError(`widthWeight must be ≥ 0, got ${alpha}`);
  const widths = opts.widths ?? null;
  if (widths && widths.length !== n) throw new RangeError(`widths has ${widths.length} values for ${n} candidates`);
  if (widths) for (const [i, w] of widths.entries()) if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`widths[${i}] must be a finite number ≥ 0, got ${w}`);
  const meanW = widths ? widths.reduce((a, b) => a + b, 0) / n : 1;
  // A zero width must not veto a point entirely (it would never be picked however remote): floor at 5 % of the mean.
  const weight = candidates.map((_, i) => (widths && meanW > 0 ? Math.max(0.05, widths[i] / meanW) : 1) ** alpha);

  const design = opts.design ?? 'stratified';
  if (design !== 'stratified' && design !== 'maximin') throw new RangeError(`design must be stratified or maximin, got ${String(design)}`);
  const values = opts.values ?? null;
  if (values && values.length !== n) throw new RangeError(`values has ${values.length} values for ${n} candidates`);
  const vw = opts.valueWeight ?? 0;
  let z = new Float64Array(n);
  if (values && vw > 0) {
    const lo = Math.min(...values), hi = Math.max(...values);
    const radius = Math.max(...candidates.map((c) => Math.hypot(c.xMm, c.yMm)));
    if (hi > lo) z = Float64Array.from(values, (v) => (vw * radius * (v - lo)) / (hi - lo));
  }
  const nearest = new Float64Array(n).fill(Infinity);
  const taken = new Uint8Array(n);
  const take = (i: number) => {
    taken[i] = 1;
    const c = candidates[i];
    for (let j = 0; j < n; j++) {
      const d = Math.hypot(candidates[j].xMm - c.xMm, candidates[j].yMm - c.yMm, z[j] - z[i]);
      if (d < nearest[j]) nearest[j] = d;
    }
  };
  for (const i of already) take(i);

  const picks: Proposal['picks'] = [];
  const indices: number[] = [];
  const rng = createForkingRng(opts.seed >>> 0);
  for (let step = 0; step < opts.k; step++) {
    let best = -1;
    if (step === 0 && already.length === 0) {
      let total = 0;
      for (let i = 0; i < n; i++) total += weight[i];
      let u = rng.next() * total;
      for (let i = 0; i < n && best < 0; i++) if ((u -= weight[i]) < 0) best = i;
      if (best < 0) best = n - 1;
    } else {
      let bestScore = -Infinity;
      const median = design === 'stratified';
      for (let i = 0; i < n; i++) {
        if (taken[i]) continue;
        let s = 0;
        if (median) {
          for (let j = 0; j < n; j++) {
            const d = Math.hypot(candidates[j].xMm - candidates[i].xMm, candidates[j].yMm - candidates[i].yMm, z[j] - z[i]);
            if (d < nearest[j]) s += weight[j] * (nearest[j] - d);
          }
        } else s = nearest[i] * weight[i];
        if (s > bestScore) [bestScore, best] = [s, i];
      }
    }
    picks.push({ label: candidates[best].label, nearestMm: Number.isFinite(nearest[best]) ? nearest[best] : null, weight: weight[best] });
    indices.push(best);
    take(best);
  }
  if (design === 'stratified') {
    // One point per stratum (the candidates nearest each p-median centre), drawn ∝ weight: the level the K
    // readings show is then a stratified sample of the billet's, not of its rim or its extremes.
    const dist = (a: number, b: number) => Math.hypot(candidates[a].xMm - candidates[b].xMm, candidates[a].yMm - candidates[b].yMm, z[a] - z[b]);
    const strata: number[][] = indices.map(() => []);
    for (let j = 0; j < n; j++) {
      if (taken[j] && !indices.includes(j)) continue;
      let bi = 0;
      for (let m = 1; m < indices.length; m++) if (dist(j, indices[m]) < dist(j, indices[bi])) bi = m;
      strata[bi].push(j);
    }
    const pick = createForkingRng((opts.seed ^ 0x5bd1e995) >>> 0);
    for (let m = 0; m < indices.length; m++) {
      const st = strata[m];
      const tot = st.reduce((a, j) => a + weight[j], 0);
      let u = pick.next() * tot;
      let chosen = st[st.length - 1];
      for (const j of st) if ((u -= weight[j]) < 0) { chosen = j; break; }
      indices[m] = chosen;
      picks[m] = { label: candidates[chosen].label, nearestMm: null, weight: weight[chosen] };
    }
  }
  return { indices, labels: indices.map((i) => candidates[i].label), picks, seed: opts.seed >>> 0, widthWeight: alpha };
}

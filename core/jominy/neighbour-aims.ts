import { ELEMENTS, N_ELEMENTS } from './elements.js';
import { satisfiesLinear, type Constraints } from './constraints.js';
import { usedElements, type PredictorModel } from './predictor-model.js';
import type { DomainModel } from './domain.js';

/**
 * A design's neighbourhood in the data: the K training heats nearest to it in the elements the predictor uses
 * (the domain's standardised units). Two things follow from it (issue 12: the cost objective's honest error).
 *
 * Held elements. Input selection leaves out an element whose effect the data cannot separate from the others' —
 * titanium, say, which in the data comes with boron: the boron effect the networks learnt is the effect of boron
 * *with* the titanium those heats had. A search that may move such an element sees no change in the predicted
 * curve, so it moves it wherever a cost or a penalty pulls — titanium to zero — and the prediction no longer
 * describes the heat it designs. So a design does not search these elements: each evaluated chemistry takes them
 * from its neighbours (their median), clipped to the design's ranges. An element the user fixed (min = max) stays
 * fixed; a chemistry the held values would take out of a linear constraint keeps its searched ones.
 *
 * Conditional gap. The nearest-heat distance and the pair grid (domain.ts, pair-coverage.ts) see a chemistry
 * element by element or pair by pair; a network that takes titanium as a weak input lets a search raise titanium
 * to a boron grade's level in a Ni-Cr-Mo chemistry, whose neighbours all have a fifth of it. Per element the
 * predictor uses, the gap is how far (sd units) the design lies beyond LOCAL_Z(data) local sd of its neighbours'
 * mean; LOCAL_Z is the 99th percentile of the same statistic (max over elements) among the training heats
 * themselves, each against its neighbours without it — the data's own threshold, like the distance's.
 */
export const NEIGHBOURS = 10;
/** Smallest local sd (sd units): ten neighbours that happen to agree closely must not make every step look far. */
export const LOCAL_SD_FLOOR = 0.1;

export interface Neighbourhood {
  /** ELEMENTS indices of the held elements (empty when every varying element is an input or fixed). */
  idx: readonly number[];
  /** The data's threshold of the conditional gap (local sd). */
  z: number;
  /**
   * Sets the held elements of each of the q chemistries in chems (q × 15, row-major) in place, and writes each
   * one's conditional gap (sd units, 0 inside) to gap[0…q).
   */
  apply(chems: Float64Array, q: number, gap: Float64Array): void;
}

interface Search {
  inputs: number[];
  n: number;
  K: number;
  nd: Float64Array;
  ni: Int32Array;
}

/** The K nearest training heats to the standardised q over the inputs (ascending in ni), skipping heat `skip`. */
function nearestK(d: DomainModel, s: Search, q: ArrayLike<number>, skip = -1): void {
  const { nd, ni, K, inputs } = s;
  nd.fill(Infinity);
  for (let i = 0; i < s.n; i++) {
    if (i === skip) continue;
    let dist = 0;
    const o = i * N_ELEMENTS;
    for (const j of inputs) {
      const t = d.points[o + j] - q[j];
      dist += t * t;
      if (dist >= nd[K - 1]) break;
    }
    if (dist >= nd[K - 1]) continue;
    let p = K - 1;
    for (; p > 0 && nd[p - 1] > dist; p--) {
      nd[p] = nd[p - 1];
      ni[p] = ni[p - 1];
    }
    nd[p] = dist;
    ni[p] = i;
  }
}

/** Per input element, |q − local mean| / max(local sd, floor) over the neighbours in s (written to z). */
function localZ(d: DomainModel, s: Search, q: ArrayLike<number>, z: Float64Array): void {
  for (const j of s.inputs) {
    let m = 0;
    for (let r = 0; r < s.K; r++) m += d.points[s.ni[r] * N_ELEMENTS + j];
    m /= s.K;
    let v = 0;
    for (let r = 0; r < s.K; r++) v += (d.points[s.ni[r] * N_ELEMENTS + j] - m) ** 2;
    const sd = Math.max(LOCAL_SD_FLOOR, Math.sqrt(v / Math.max(1, s.K - 1)));
    z[j] = (q[j] - m) / sd;
    z[N_ELEMENTS + j] = sd;
  }
}

const thresholds = new WeakMap<DomainModel, number>();

/** The 99th percentile of the training heats' own max local z (each against its neighbours without it); cached per domain. */
function localThreshold(d: DomainModel, s: Search): number {
  const hit = thresholds.get(d);
  if (hit !== undefined) return hit;
  const z = new Float64Array(2 * N_ELEMENTS);
  const stats: number[] = [];
  for (let i = 0; i < s.n; i++) {
    const q = d.points.slice(i * N_ELEMENTS, (i + 1) * N_ELEMENTS);
    nearestK(d, s, q, i);
    localZ(d, s, q, z);
    let mx = 0;
    for (const j of s.inputs) mx = Math.max(mx, Math.abs(z[j]));
    stats.push(mx);
  }
  stats.sort((a, b) => a - b);
  const t = stats.length > 1 ? stats[Math.min(stats.length - 1, Math.floor(0.99 * (stats.length - 1)))] : Infinity;
  thresholds.set(d, t);
  return t;
}

/**
 * The neighbourhood of a design over this predictor's data, or null when the predictor uses no varying element
 * or the domain is too small (fewer heats than K + 1). `margin`: the gap starts that share inside the threshold
 * (an exact penalty's optimum sits on its kink; see ga.ts DOMAIN_MARGIN).
 */
export function neighbourhood(model: PredictorModel, c: Constraints, margin = 0, k = NEIGHBOURS): Neighbourhood | null {
  const d = model.domain;
  const used = new Set<string>(usedElements(model));
  const varies = (j: number) => d.std[j] > 0;
  const idx = ELEMENTS.map((_, j) => j).filter((j) => varies(j) && !used.has(ELEMENTS[j]) && c.max[j] > c.min[j]);
  const inputs = ELEMENTS.map((_, j) => j).filter((j) => varies(j) && used.has(ELEMENTS[j]));
  const n = d.points.length / N_ELEMENTS;
  if (inputs.length === 0 || n <= k) return null;
  const s: Search = { inputs, n, K: k, nd: new Float64Array(k), ni: new Int32Array(k) };
  const z0 = localThreshold(d, s);
  const zc = (1 - margin) * z0;
  const q = new Float64Array(N_ELEMENTS);
  const z = new Float64Array(2 * N_ELEMENTS);
  const vals = new Float64Array(k);
  const saved = new Float64Array(N_ELEMENTS);
  return {
    idx,
    z: z0,
    apply(chems, count, gap) {
      for (let r = 0; r < count; r++) {
        const off = r * N_ELEMENTS;
        for (const j of inputs) q[j] = (chems[off + j] - d.mean[j]) / d.std[j];
        nearestK(d, s, q);
        if (idx.length) {
          saved.set(chems.subarray(off, off + N_ELEMENTS));
          for (const j of idx) {
            for (let t = 0; t < k; t++) vals[t] = d.points[s.ni[t] * N_ELEMENTS + j];
            vals.sort();
            const med = k % 2 ? vals[(k - 1) / 2] : (vals[k / 2 - 1] + vals[k / 2]) / 2;
            chems[off + j] = Math.min(c.max[j], Math.max(c.min[j], med * d.std[j] + d.mean[j]));
          }
          if (c.linear.length && !satisfiesLinear(c.linear, chems, off)) chems.set(saved, off);
        }
        localZ(d, s, q, z);
        let g = 0;
        for (const j of inputs) g += Math.max(0, (Math.abs(z[j]) - zc) * z[N_ELEMENTS + j]);
        gap[r] = g;
      }
    },
  };
}

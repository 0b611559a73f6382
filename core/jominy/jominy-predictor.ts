import { DISTANCES_MM, N_ELEMENTS, N_POINTS, elementIndex, type Element } from './elements.js';
import { compileNet, evalScaled, type CompiledNet } from './compiled-net.js';
import { modelDistances, modelLabels, usedElements, withUsedDomain, type PredictorModel } from './predictor-model.js';
import { martensiteMaxHrc, type CappedProfile } from './martensite.js';
import { pchipAt, pchipSlopes } from './pchip.js';
import { beyondPoints } from './objective.js';
import { phrase, plain } from '../api/phrase.js';
import { RefusedError } from '../runtime/refused.js';

/**
 * The trained predictor, compiled for batched evaluation (what the GA calls). The networks predict at the
 * model's own points (the dataset's distances); any other distance is read from the predicted curve by
 * monotone PCHIP (pchip.ts). `predictBatch`/`predict`/`predictDetailed` answer at the 15 standard distances
 * (DISTANCES_MM), as the design and the contract expect; `predictAt` at any distance inside the model's points.
 */
const C_INDEX = elementIndex('C');

export interface StandardProfile extends CappedProfile {
  /** Per standard distance: true where it lies beyond the model's first or last point by more than HELD_END_TOLERANCE_MM (the end value is held there). */
  outside: boolean[];
}

export class JominyPredictor {
  private nets: CompiledNet[];
  private scratch = new Float64Array(64);
  /** The model's points, mm. */
  readonly pointsMm: number[];
  readonly labels: string[];
  /** True when the model's points are exactly the 15 standard distances (no interpolation needed). */
  private readonly standard: boolean;
  private readonly at: Float64Array;
  /** Per standard distance: true where it lies beyond the model's points by more than HELD_END_TOLERANCE_MM (objective.ts). */
  readonly outsideStandard: boolean[];

  constructor(readonly model: PredictorModel) {
    // a predictor stored before the domain's element mask gets it here, so the GA's penalty and checks use it
    withUsedDomain(model);
    this.nets = model.nets.map(compileNet);
    this.pointsMm = modelDistances(model);
    this.labels = modelLabels(model);
    this.standard = this.pointsMm.length === N_POINTS && this.pointsMm.every((d, i) => d === DISTANCES_MM[i]);
    this.at = new Float64Array(this.pointsMm.length);
    this.outsideStandard = DISTANCES_MM.map((d) => beyondPoints(d, this.pointsMm));
  }

  /** Uncapped hardness at the model's points for the chemistry at chems[co…co+15], into `out` from `oo`. */
  private evalPoints(chems: ArrayLike<number>, co: number, out: Float64Array, oo: number): void {
    for (let p = 0; p < this.nets.length; p++) {
      const net = this.nets[p];
      if (this.scratch.length < net.ni) this.scratch = new Float64Array(net.ni * 2);
      const x = this.scratch;
      const ne = net.el.length;
      for (let j = 0; j < ne; j++) x[j] = net.xa[j] * chems[co + net.el[j]] + net.xb[j];
      for (let k = 0; k < net.pts.length; k++) x[ne + k] = net.xa[ne + k] * out[oo + net.pts[k]] + net.xb[ne + k];
      out[oo + p] = net.ya * evalScaled(net, x, 0) + net.yb;
    }
  }

  /**
   * chems: n × 15 (ELEMENTS order) → out: n × 15 HRC at the standard distances, each point at most the
   * martensite maximum of its heat's carbon (martensite.ts). Later networks are fed the uncapped values of
   * earlier points, as in training; only what leaves here is capped. For a model on other points the curve
   * is interpolated (PCHIP) and held at its end value beyond its first and last point (`outsideStandard`).
   * `capped` (n × 15), when given, gets 1 where a point was lowered to the maximum, else 0.
   */
  predictBatch(chems: ArrayLike<number>, n: number, out: Float64Array = new Float64Array(n * N_POINTS), capped?: Uint8Array): Float64Array {
    const P = this.pointsMm.length;
    for (let s = 0; s < n; s++) {
      const co = s * N_ELEMENTS;
      const po = s * N_POINTS;
      if (this.standard) this.evalPoints(chems, co, out, po);
      else {
        this.evalPoints(chems, co, this.at, 0);
        const ys = Array.from(this.at);
        const curve = { xs: this.pointsMm, ys, ms: P > 1 ? pchipSlopes(this.pointsMm, ys) : [0] };
        for (let p = 0; p < N_POINTS; p++) {
          const d = Math.min(this.pointsMm[P - 1], Math.max(this.pointsMm[0], DISTANCES_MM[p]));
          out[po + p] = P > 1 ? pchipAt(curve, d) : ys[0];
        }
      }
      const max = martensiteMaxHrc(chems[co + C_INDEX]);
      for (let p = 0; p < N_POINTS; p++) {
        const over = out[po + p] > max;
        if (over) out[po + p] = max;
        if (capped) capped[po + p] = over ? 1 : 0;
      }
    }
    return out;
  }

  /** Capped hardness at the model's own points (the networks' outputs). */
  predictPoints(chem: ArrayLike<number>): number[] {
    const out = new Float64Array(this.pointsMm.length);
    this.evalPoints(chem, 0, out, 0);
    const max = martensiteMaxHrc(chem[C_INDEX]);
    return Array.from(out, (v) => Math.min(v, max));
  }

  /**
   * Hardness at any distances (mm) inside the model's first–last point: the capped curve at the model's
   * points, interpolated by monotone PCHIP, so a band given in sixteenths of an inch is read directly.
   * A distance outside the model's points is refused (RangeError): the curve is not extrapolated.
   */
  predictAt(chem: ArrayLike<number>, distancesMm: readonly number[]): number[] {
    const ys = this.predictPoints(chem);
    if (ys.length === 1) {
      return distancesMm.map((d) => {
        if (Math.abs(d - this.pointsMm[0]) > 1e-9) throw RefusedError.said('invalid_argument', phrase('jominyDomain.onePoint', { distance: plain(d), point: plain(this.pointsMm[0]) }));
        return ys[0];
      });
    }
    const curve = { xs: this.pointsMm, ys, ms: pchipSlopes(this.pointsMm, ys) };
    return distancesMm.map((d) => pchipAt(curve, d));
  }

  predict(chem: ArrayLike<number>): number[] {
    return Array.from(this.predictBatch(chem, 1));
  }

  /** One chemistry at the standard distances: the profile, which points were capped, that maximum, and which lie outside the model's points. */
  predictDetailed(chem: ArrayLike<number>): StandardProfile {
    const capped = new Uint8Array(N_POINTS);
    const profile = Array.from(this.predictBatch(chem, 1, undefined, capped));
    return { profile, capped: Array.from(capped, (c) => c === 1), martensiteMaxHrc: martensiteMaxHrc(chem[C_INDEX]), outside: [...this.outsideStandard] };
  }

  /** The elements at least one network takes: a chemistry for this predictor must give each of them. */
  usedElements(): Element[] {
    return usedElements(this.model);
  }

  /** Table 1 of the paper: inputs and Nh per point (distances in mm). */
  inputsTable(): { distanceMm: number; elements: Element[]; points: number[]; nh: number; nw: number; gamma: number }[] {
    return this.model.nets.map((n) => ({ distanceMm: this.pointsMm[n.point], elements: n.elements, points: n.points.map((k) => this.pointsMm[k]), nh: n.nh, nw: n.nw, gamma: n.gamma }));
  }
}

import { elementIndex } from './elements.js';
import { forwardOne } from './mlp.js';
import type { PointNet } from './predictor-model.js';

/** A point network ready for fast evaluation: scaling folded into a·x + b per input. */
export interface CompiledNet {
  el: Int32Array;
  pts: Int32Array;
  ni: number;
  nh: number;
  w: Float64Array;
  xa: Float64Array;
  xb: Float64Array;
  ya: number;
  yb: number;
}

export function compileNet(n: Pick<PointNet, 'elements' | 'points' | 'nh' | 'weights' | 'xMin' | 'xMax' | 'yMin' | 'yMax'>): CompiledNet {
  const ni = n.elements.length + n.points.length;
  const xa = new Float64Array(ni);
  const xb = new Float64Array(ni);
  for (let j = 0; j < ni; j++) {
    const span = n.xMax[j] - n.xMin[j];
    xa[j] = span > 0 ? 2 / span : 0;
    xb[j] = span > 0 ? -1 - n.xMin[j] * xa[j] : 0;
  }
  return {
    el: Int32Array.from(n.elements.map(elementIndex)),
    pts: Int32Array.from(n.points),
    ni,
    nh: n.nh,
    w: Float64Array.from(n.weights),
    xa,
    xb,
    ya: n.yMax > n.yMin ? (n.yMax - n.yMin) / 2 : 0,
    yb: n.yMax > n.yMin ? (n.yMax - n.yMin) / 2 + n.yMin : n.yMin,
  };
}

export function evalScaled(net: CompiledNet, x: ArrayLike<number>, off: number): number {
  return forwardOne(net.w, net.ni, net.nh, x, off);
}

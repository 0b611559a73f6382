/**
 * The small network of one Jominy point: Ni inputs → Nh tanh (sigmoid-shaped) units → 1 linear
 * output, inputs and target scaled to [−1, 1] outside this file. Weights live in one flat vector
 * (what Levenberg–Marquardt updates): for each hidden unit h its Ni input weights then its bias,
 * then the Nh output weights, then the output bias. Nw = (Ni + 2)·Nh + 1 (paper §3.1).
 */
export const weightCount = (ni: number, nh: number): number => (ni + 2) * nh + 1;

/** Output for one (scaled) input row starting at x[off]. */
export function forwardOne(w: ArrayLike<number>, ni: number, nh: number, x: ArrayLike<number>, off = 0): number {
  const outBase = nh * (ni + 1);
  let y = w[outBase + nh];
  for (let h = 0; h < nh; h++) {
    const base = h * (ni + 1);
    let s = w[base + ni];
    for (let j = 0; j < ni; j++) s += w[base + j] * x[off + j];
    y += w[outBase + h] * Math.tanh(s);
  }
  return y;
}

/**
 * Outputs y (length ns) and, when jac is given, the Jacobian ∂y/∂w row by row (ns × Nw, row-major)
 * for ns scaled input rows in x (row-major ns × ni).
 */
export function forwardBatch(w: ArrayLike<number>, ni: number, nh: number, x: Float64Array, ns: number, y: Float64Array, jac?: Float64Array): void {
  const nw = weightCount(ni, nh);
  const outBase = nh * (ni + 1);
  for (let s = 0; s < ns; s++) {
    const xo = s * ni;
    const jo = s * nw;
    let out = w[outBase + nh];
    for (let h = 0; h < nh; h++) {
      const base = h * (ni + 1);
      let z = w[base + ni];
      for (let j = 0; j < ni; j++) z += w[base + j] * x[xo + j];
      const a = Math.tanh(z);
      const v = w[outBase + h];
      out += v * a;
      if (jac) {
        const g = v * (1 - a * a);
        for (let j = 0; j < ni; j++) jac[jo + base + j] = g * x[xo + j];
        jac[jo + base + ni] = g;
        jac[jo + outBase + h] = a;
      }
    }
    if (jac) jac[jo + outBase + nh] = 1;
    y[s] = out;
  }
}

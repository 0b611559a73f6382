/**
 * Mean and sd (n − 1) across an ensemble's member outputs, cell by cell (`len` cells of each member's row-major
 * output): the one place the ensemble's spread is computed, at the standard distances (ensemble.ts) and at a model's
 * own points (calibration.ts), so the two cannot drift.
 */
export function memberSpread(outs: readonly ArrayLike<number>[], len: number, mean: Float64Array = new Float64Array(len), sd: Float64Array = new Float64Array(len)): { mean: Float64Array; sd: Float64Array } {
  const M = outs.length;
  for (let i = 0; i < len; i++) {
    let a = 0;
    for (let k = 0; k < M; k++) a += outs[k][i];
    const mu = a / M;
    let v = 0;
    for (let k = 0; k < M; k++) v += (outs[k][i] - mu) ** 2;
    mean[i] = mu;
    sd[i] = Math.sqrt(v / Math.max(1, M - 1));
  }
  return { mean, sd };
}

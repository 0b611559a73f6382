/** Largest absolute difference over the largest magnitude of the reference: how kernels are compared with cpu. */
export function relErr(ref: ArrayLike<number>, got: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < ref.length; i++) {
    num = Math.max(num, Math.abs(ref[i] - got[i]));
    den = Math.max(den, Math.abs(ref[i]));
  }
  return num / den;
}

/**
 * Σ over every axis but the last of a float32 tensor viewed as [rows, cols]: the bias gradient of each conv and
 * dense layer (tfjs reduces dy over batch, height and width). tfjs-backend-wasm's Sum first transposes the
 * whole tensor so that the reduced axes come last, then sums: two passes and a copy of dy. This is one pass,
 * row by row, into a Float64 accumulator per column (what the reference cpu kernel accumulates in, so long sums
 * of the 224 px layers lose no more precision than there).
 */
export function columnSum(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  const acc = new Float64Array(cols);
  for (let r = 0, p = 0; r < rows; r++) {
    for (let k = 0; k < cols; k++, p++) acc[k] += x[p];
  }
  for (let k = 0; k < cols; k++) out[k] = acc[k];
}

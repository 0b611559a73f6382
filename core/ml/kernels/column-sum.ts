import { columnSumInHeap } from './column-sum-simd.js';

/**
 * Σ over every axis but the last of a float32 tensor viewed as [rows, cols]: the bias gradient of each conv and
 * dense layer (tfjs reduces dy over batch, height and width). tfjs-backend-wasm's Sum first transposes the
 * tensor so that the reduced axes come last, then sums each column from 0 in row order in a float32
 * accumulator (its C++ Sum.cc: `T sum = 0; sum += *x` — no reassociation, no wider accumulator). This does the
 * same additions in the same order, one pass and no copy, so its result is BIT-IDENTICAL to the stock kernel's:
 * the accumulator is a Float32Array, and the sum of two floats rounded to a double and then to float32 on store
 * is the correctly rounded float32 sum (a double's 53 bits ≥ 2·24 + 2: double rounding is innocuous).
 * On views of the wasm heap the same additions run four columns at a time in SIMD (column-sum-simd.ts).
 */
export function columnSum(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  if (columnSumInHeap(x, rows, cols, out)) return;
  const acc = new Float32Array(cols);
  for (let r = 0, p = 0; r < rows; r++) {
    for (let k = 0; k < cols; k++, p++) acc[k] += x[p];
  }
  out.set(acc);
}

import * as tf from '@tensorflow/tfjs';
import type { ConvGeometry } from './conv-geometry.js';
import { tapsApply } from './filter-grad-taps.js';
import { I, heapModule, moduleBytes, uleb } from './wasm-simd.js';
import type { WasmStore } from './tap-products.js';

/**
 * dW of a one-channel 3×3 / stride-1 convolution (the paper model's first layer, 1 → 32 at 224 px) in wasm SIMD:
 *   dW[i, j, 0, co] = Σ_{b, y, x} xPad[b, y + i, x + j] · dy[b, y, x, co]
 * Four output channels in the lanes, the nine taps in nine accumulators: per pixel one load of dy, nine broadcast
 * loads of x, nine products. Why: the tap-wise route (filter-grad-taps.ts) hands XNNPACK 9-row products whose packed
 * copy of dy (all of it, 32 floats per pixel) costs more than the 14 M multiply-adds per image themselves (6 products,
 * 8.0 ms/img at 224 px, batch 8).
 * Float path: the exact product (f32x4.mul then f32x4.add, never fused: the same bits on every CPU), summed over an
 * image row in float32 (x in order), the rows' sums added in doubles (images, then rows, in order), rounded once.
 * Taken where the tap-wise route would be (many pixels) with one input channel and at least 32 output channels in
 * fours: the paper model's first layer; the compact preset's (1 → 8) keeps its float path.
 */

/** Whether this route takes dW of this geometry (3×3, stride 1, one input channel, ≥ 32 output channels in fours, on wasm). */
export function oneChannelApplies(g: ConvGeometry): boolean {
  return g.inC === 1 && g.fh === 3 && g.fw === 3 && g.outC >= 32 && g.outC % 4 === 0 && g.top <= 1 && g.left <= 1 && tapsApply(g);
}

const simd = (o: number) => [0xfd, ...uleb(o)];
const splat32 = (off: number) => [...simd(0x09), 2, ...uleb(off)];

/**
 * One output row: xp the padded x row above it ((w + 2) floats a row, three rows read), dy the row's w pixels of `cout`
 * channels, acc the [9][cout] double sums. Params: xp, dy, acc.
 */
function rowBytes(w: number, cout: number): Uint8Array {
  const xp = 0, dy = 1, acc = 2, g = 3, px = 4, pd = 5, end = 6, q = 7;
  const A = 0 + 8, d = A + 9, s = d + 1; // v128 locals: 9 accumulators, dy, broadcast x
  const rs = (w + 2) * 4;
  const inner: number[] = [...I.get(pd), ...I.load(0), ...I.set(d)];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const t = 3 * i + j;
      inner.push(...I.get(px), ...splat32(i * rs + j * 4), ...I.set(s));
      inner.push(...I.get(A + t), ...I.get(s), ...I.get(d), ...I.f32mul, ...I.f32add, ...I.set(A + t));
    }
  }
  inner.push(...I.get(px), ...I.i32(4), ...I.i32add, ...I.set(px), ...I.get(pd), ...I.i32(cout * 4), ...I.i32add, ...I.set(pd));
  const group: number[] = [];
  for (let t = 0; t < 9; t++) group.push(...I.f32const(0), ...I.f32splat, ...I.set(A + t));
  group.push(...I.get(xp), ...I.set(px), ...I.get(dy), ...I.get(g), ...I.i32add, ...I.set(pd), ...I.get(xp), ...I.i32(w * 4), ...I.i32add, ...I.set(end));
  group.push(...I.loopWhile([...I.get(px), ...I.get(end), ...I.i32ltu], inner));
  // acc[t][c…c+3] += the row's sums (two doubles at a time)
  for (let t = 0; t < 9; t++) {
    group.push(...I.get(acc), ...I.get(g), ...I.i32(1), 0x74, ...I.i32add, ...I.set(q)); // q = acc + 2·(g bytes)
    for (const h of [0, 1]) {
      const off = t * cout * 8 + 16 * h;
      const lanes = h === 0 ? I.get(A + t) : [...I.get(A + t), ...I.get(A + t), ...I.shuffle32([2, 3, 2, 3])];
      group.push(...I.get(q), ...I.get(q), ...I.load(off), ...lanes, ...I.f64promoteLow, ...I.f64add, ...I.store(off));
    }
  }
  const body = [...I.i32(0), ...I.set(g), ...I.loopWhile([...I.get(g), ...I.i32(cout * 4), ...I.i32ltu], [...group, ...I.get(g), ...I.i32(16), ...I.i32add, ...I.set(g)])];
  return moduleBytes([{ name: 'row', params: ['i32', 'i32', 'i32'], i32Locals: 5, v128Locals: 11, body }]);
}

const keys = new Map<string, object>();

function rowModule(w: number, cout: number): ((xp: number, dy: number, acc: number) => void) | null {
  const id = `${w}:${cout}`;
  let key = keys.get(id);
  if (!key) keys.set(id, (key = {}));
  const mod = heapModule(() => rowBytes(w, cout), key);
  return mod ? (mod.row as (xp: number, dy: number, acc: number) => void) : null;
}

/** dW [3, 3, 1, Cout] as a heap tensor; null where the module cannot run (no wasm SIMD). */
export function filterGradOneChannel(store: WasmStore, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo | null {
  const { batch, inH, inW, outH, outW, outC, top, left } = g;
  const row = rowModule(outW, outC);
  if (!row) return null;
  // x padded: output (y, x) reads rows y − top … y − top + 2 and columns x − left … x − left + 2 of x, so xPad row r,
  // column c holds x[r − top, c − left] (zero outside), rows outH + 2, columns outW + 2.
  const hp = outH + 2;
  const wp = outW + 2;
  const xpad = store.makeOutput([batch, hp, wp], 'float32');
  const sums = store.makeOutput([2 * 9 * outC], 'float32'); // [9][Cout] doubles
  const out = store.makeOutput([3, 3, 1, outC], 'float32');
  const xs = store.typedArrayFromHeap(x);
  const xv = store.typedArrayFromHeap(xpad);
  xv.fill(0);
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < hp; r++) {
      const y = r - top;
      if (y < 0 || y >= inH) continue;
      const n = Math.min(inW, wp - left);
      xv.set(xs.subarray((b * inH + y) * inW, (b * inH + y) * inW + n), (b * hp + r) * wp + left);
    }
  }
  store.typedArrayFromHeap(sums).fill(0);
  const xAddr = store.typedArrayFromHeap(xpad).byteOffset;
  const dAddr = store.typedArrayFromHeap(dy).byteOffset;
  const sAddr = store.typedArrayFromHeap(sums).byteOffset;
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < outH; y++) row(xAddr + (b * hp + y) * wp * 4, dAddr + (b * outH + y) * outW * outC * 4, sAddr);
  }
  // A Float64Array view needs 8-byte alignment, which the heap's allocator gives (and a copy where it would not).
  const sv = sAddr % 8 === 0 ? new Float64Array(store.typedArrayFromHeap(sums).buffer, sAddr, 9 * outC) : new Float64Array(store.typedArrayFromHeap(sums).slice().buffer);
  store.typedArrayFromHeap(out).set(sv); // rounded once to float32, [tap][co] = dW's [3, 3, 1, Cout] order
  store.disposeData(xpad.dataId, true);
  store.disposeData(sums.dataId, true);
  return out;
}

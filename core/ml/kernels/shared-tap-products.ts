import type * as tf from '@tensorflow/tfjs';
import { exactGemmOn, type SimdGemm } from './gemm-fma-simd.js';
import { pixelOffsets, tapRange, type WasmStore } from './tap-products.js';
import type { ConvGeometry } from './conv-geometry.js';
import type { TapSide } from './tap-products-simd.js';

/**
 * The large filters' tap products (tap-products-simd.ts: forward, dx and dW of the paper model's blocks 5-6 at 64 px)
 * of a data-parallel gradient worker, run IN the shared arena that holds the weights, their transposes and the
 * gradient slots (data-parallel.ts) instead of in tfjs's heap: the same microkernel (exactGemm's module, instantiated
 * on the arena: exactGemmOn) streams Wᵀ (forward) and W (dx) where the workers' Adam left them, and writes each tap's
 * dW straight into the shard's gradient slot. The gathered columns and the products go through this shard's scratch in
 * the arena; the activations stay on the heap (gathered from it, scattered back into it, as before).
 * Why: every replica paid, whatever its shard, a copy of each large filter's Wᵀ onto its heap per step (~7 ms on the
 * paper model) and a copy of its dW out of the heap into the slot (~9 ms of the ~12 of the whole gradient): memory
 * traffic over ~18 M floats, the fixed per-shard cost that keeps 2 workers below 1.6× (bench/cnn-profile.ts head).
 * Bits: the same as the heap route — the same module, operands and order; only the memory the addresses point into
 * differs (test/unit/ml/shared-tap-products.test.ts compares a whole shard's gradient bit for bit).
 * Taken only inside withSharedShard (a gradient worker's shard) for filters bound by provideSharedFilter, and only where
 * every tap of the layer fits the scratch; anything else keeps the heap route.
 */

/** The WebAssembly.Memory API the project's TypeScript libs do not describe (adam-shared.ts's WebAssemblyMemory). */
interface Arena {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

/** A large filter's W (HWIO) and tap-major Wᵀ (conv2d-forward-gemm.ts) as views of the arena. */
interface SharedFilter {
  arena: Arena;
  w: Float32Array;
  wt: Float32Array;
  /** Whether the filter's heap data holds W (false: a deferred load, copied in by ensureFilterOnHeap at first need). */
  onHeap: boolean;
}

/** By the filter's data id (a WeakMap: the binding goes with the data, a new one comes with the next weights). */
const filters = new WeakMap<object, SharedFilter>();

/**
 * Binds a filter's heap data to its W and Wᵀ in the arena, which must not change while the binding is used (a worker
 * binds each large filter right after loading the step's weights; the next step's Adam comes after its barrier).
 * `onHeap`: the heap data already holds W; false: it was left unwritten (deferredFilter), and every kernel that reads a
 * filter's heap data calls ensureFilterOnHeap first — the routes here read only the arena, so at 64 px nothing copies it.
 */
export function provideSharedFilter(dataId: object, arena: Arena, w: Float32Array, wt: Float32Array, onHeap = true): void {
  if (w.buffer !== arena.buffer || wt.buffer !== arena.buffer) throw new Error('provideSharedFilter: W and Wᵀ must be views of the arena');
  filters.set(dataId, { arena, w, wt, onHeap });
  unbound.delete(dataId);
}

/**
 * Deferred filters not yet bound (provideSharedFilter): their heap storage holds no weights and nothing would copy any
 * in, so a kernel reading one (ensureFilterOnHeap) or a shard starting (withSharedShard) with one pending refuses
 * instead of computing on whatever the malloc left there.
 */
const unbound = new Set<object>();

/**
 * Fresh heap storage for a filter of `shape`, left unwritten (a malloc: no pass over its floats), for a deferred load:
 * the caller binds it at once with provideSharedFilter(…, onHeap = false). A new data id per step, as a loaded tensor
 * has, so that nothing cached per filter (Wᵀ, Winograd transforms) outlives its weights.
 */
export function deferredFilter(store: Pick<WasmStore, 'makeOutput'>, shape: number[]): tf.TensorInfo {
  const info = store.makeOutput(shape, 'float32');
  unbound.add(info.dataId);
  return info;
}

/**
 * Makes a filter's heap data hold its weights before a kernel reads them there: a bound filter whose load was deferred
 * gets W copied in from the arena (once); any other filter is left as it is. Every route that reads a filter on the heap
 * calls it (register-wasm.ts, conv2d-forward-gemm.ts, conv2d-backprop-input*.ts). The clone of the filter the tape
 * saves for dx shares its data id (shared-data-kernels.ts: Identity copies nothing), so it is found here too.
 */
export function ensureFilterOnHeap(store: Pick<WasmStore, 'typedArrayFromHeap'>, filter: tf.TensorInfo): void {
  if (unbound.has(filter.dataId)) throw new Error('a deferred filter was read before it was bound to its weights (provideSharedFilter after loadFlatWeights)');
  const f = filters.get(filter.dataId);
  if (!f || f.onHeap) return;
  store.typedArrayFromHeap(filter).set(f.w);
  f.onHeap = true;
  runs.heapCopies++;
}

/** The shard being computed: its scratch, where its large filters' dW go, and what the forward saw. */
interface Shard {
  arena: Arena;
  scratch: Float32Array;
  /** Filter data id → its gradient's place in this shard's slot (a view of the arena). */
  dW: Map<object, Float32Array>;
  /** Forward input's data id → the filter it met (the dW kernel is given x, not the filter); null: met twice, ambiguous. */
  byInput: Map<object, object | null>;
  /** Filters met in this shard's forward (a filter met twice has two gradients to sum: then not written in place). */
  met: Set<object>;
  /** Filters whose dW went straight into the slot. */
  written: Set<object>;
}

let current: Shard | null = null;

const runs = { products: 0, filterGrads: 0, heapCopies: 0 };

/** Layers this route has computed, and deferred filters copied onto the heap, since the process started (tests: was it taken). */
export function sharedTapRuns(): { products: number; filterGrads: number; heapCopies: number } {
  return { ...runs };
}

/**
 * Runs `fn` (a shard's forward and backward) with the shared routes on: `scratch` this shard's own scratch in the arena
 * (no other thread uses it meanwhile), `dW` where each bound filter's gradient goes. fn gets the set of the filters
 * whose dW was written in place (filled as the backward runs): their gradient tensors are left unwritten, and fn must
 * not copy them.
 */
export function withSharedShard<T>(arena: Arena, scratch: Float32Array, dW: Map<object, Float32Array>, fn: (written: ReadonlySet<object>) => T): T {
  if (scratch.buffer !== arena.buffer || [...dW.values()].some((d) => d.buffer !== arena.buffer)) throw new Error('withSharedShard: the scratch and the gradient places must be views of the arena');
  if (unbound.size) throw new Error(`withSharedShard: ${unbound.size} deferred filter(s) loaded but not bound to their weights (provideSharedFilter after loadFlatWeights)`);
  const outer = current;
  const shard: Shard = { arena, scratch, dW, byInput: new Map(), met: new Set(), written: new Set() };
  current = shard;
  try {
    return fn(shard.written);
  } finally {
    current = outer;
  }
}

/** Floats of scratch a shard needs for a layer: two operands of (channels in + out) · up to Cout / 2 + 8 positions each (the tap routes' bound). */
export function sharedScratchFloats(shapes: readonly number[][]): number {
  return Math.max(0, ...shapes.map(([, , cin, cout]) => (cin + cout) * (Math.ceil(cout / 16) * 8 + 8)));
}

/** The bound filter and this shard, when the shared route may run; null otherwise. */
function bound(filterId: object): { f: SharedFilter; s: Shard } | null {
  const f = filters.get(filterId);
  return f && current && current.arena === f.arena ? { f, s: current } : null;
}

/** The gemm of every tap of a product with A [rows × k] and `n`-column outputs, when all of them fit the scratch (`need`: floats per tap). */
function fits(s: Shard, g: ConvGeometry, rows: number, need: (m: number) => number, gemm: (m: number) => SimdGemm | null): boolean {
  if (rows % 4 !== 0) return false;
  for (let i = 0; i < g.fh; i++) {
    for (let j = 0; j < g.fw; j++) {
      const m = tapRange(g, i, j).count;
      if (m && (need(m) > s.scratch.length || !gemm(m))) return false;
    }
  }
  return true;
}

const panels = (m: number) => 8 * Math.ceil(m / 8);

/**
 * The pixels (k floats each, from `at`) of `src` as the columns of 8-wide panels of `pv` (column col at panel col >> 3,
 * lane col & 7; row kk of a panel 8 floats). Eight columns at a time, row by row: the stores run contiguously and the
 * eight reads are eight sequential streams (about twice as fast as one column at a time, whose stores land 32 bytes
 * apart). A copy: the same bits whatever the order.
 */
function gatherPanels(src: Float32Array, at: Int32Array, pv: Float32Array, k: number): void {
  const m = at.length;
  const full = m & ~7;
  for (let c = 0; c < full; c += 8) {
    const a0 = at[c], a1 = at[c + 1], a2 = at[c + 2], a3 = at[c + 3], a4 = at[c + 4], a5 = at[c + 5], a6 = at[c + 6], a7 = at[c + 7];
    for (let kk = 0, d = c * k; kk < k; kk++, d += 8) {
      pv[d] = src[a0 + kk];
      pv[d + 1] = src[a1 + kk];
      pv[d + 2] = src[a2 + kk];
      pv[d + 3] = src[a3 + kk];
      pv[d + 4] = src[a4 + kk];
      pv[d + 5] = src[a5 + kk];
      pv[d + 6] = src[a6 + kk];
      pv[d + 7] = src[a7 + kk];
    }
  }
  for (let col = full; col < m; col++) {
    const base = at[col];
    for (let kk = 0, d = (col >> 3) * k * 8 + (col & 7); kk < k; kk++, d += 8) pv[d] = src[base + kk];
  }
}

/**
 * dst[put[col] + q] += pv[cAt + q·mp + col] for the `rows` rows q of every column: eight columns at a time, so that
 * each row's eight reads are one contiguous run. Each element gets one add per call (the columns are distinct pixels),
 * so the order changes no bit.
 */
function scatterAdd(pv: Float32Array, cAt: number, mp: number, put: Int32Array, dst: Float32Array, rows: number): void {
  const m = put.length;
  const full = m & ~7;
  for (let c0 = 0; c0 < full; c0 += 8) {
    const b0 = put[c0], b1 = put[c0 + 1], b2 = put[c0 + 2], b3 = put[c0 + 3], b4 = put[c0 + 4], b5 = put[c0 + 5], b6 = put[c0 + 6], b7 = put[c0 + 7];
    for (let q = 0, c = cAt + c0; q < rows; q++, c += mp) {
      dst[b0 + q] += pv[c];
      dst[b1 + q] += pv[c + 1];
      dst[b2 + q] += pv[c + 2];
      dst[b3 + q] += pv[c + 3];
      dst[b4 + q] += pv[c + 4];
      dst[b5 + q] += pv[c + 5];
      dst[b6 + q] += pv[c + 6];
      dst[b7 + q] += pv[c + 7];
    }
  }
  for (let col = full; col < m; col++) {
    const base = put[col];
    for (let q = 0, c = cAt + col; q < rows; q++, c += mp) dst[base + q] += pv[c];
  }
}

/**
 * out += A · columns for every tap, A the tap's block of a bound filter (`wt`: forward, A = Wᵀ_t [Cout, Cin]; else dx,
 * A = W_t [Cin, Cout]) read in the arena: tap-products-simd.ts's exactTapProduct with the panels and products in the
 * shard's scratch. False (nothing done) where the route does not apply: the caller takes the heap route.
 */
export function sharedTapProducts(store: WasmStore, g: ConvGeometry, filterId: object, wt: boolean, rows: number, k: number, from: (i: number, j: number) => TapSide, to: (i: number, j: number) => TapSide): boolean {
  const b = bound(filterId);
  if (!b) return false;
  const { f, s } = b;
  const gemm = (m: number) => exactGemmOn(s.arena, k, panels(m));
  if (!fits(s, g, rows, (m) => (k + rows) * panels(m), gemm)) return false;
  const a = wt ? f.wt : f.w;
  const block = rows * k;
  const pv = s.scratch;
  for (let i = 0; i < g.fh; i++) {
    for (let j = 0; j < g.fw; j++) {
      const r = tapRange(g, i, j);
      const m = r.count;
      if (!m) continue;
      const mp = panels(m);
      if (mp > m) pv.fill(0, (mp / 8 - 1) * k * 8, k * mp); // the last panel's padding columns: zeros, never read back
      const fr = from(i, j);
      const src = store.typedArrayFromHeap(fr.of);
      gatherPanels(src, pixelOffsets(g.batch, r, fr.h, fr.w, fr.c, fr.sy, fr.dy, fr.sx, fr.dx), pv, k);
      const cAt = k * mp;
      gemm(m)!(a.byteOffset + 4 * (i * g.fw + j) * block, pv.byteOffset, pv.byteOffset + 4 * cAt, rows / 4, mp / 8);
      const t = to(i, j);
      const dst = store.typedArrayFromHeap(t.of);
      scatterAdd(pv, cAt, mp, pixelOffsets(g.batch, r, t.h, t.w, t.c, t.sy, t.dy, t.sx, t.dx), dst, rows);
    }
  }
  runs.products++;
  return true;
}

/**
 * The forward met bound filter `filterId` on input `x`: its dW (computed from x and dy, without the filter) can then go
 * to the filter's place in the slot. A filter met twice, or an input met by two filters, is left to the heap route.
 */
export function noteForwardInput(filterId: object, x: tf.TensorInfo): void {
  const s = current;
  if (!s || !filters.has(filterId)) return;
  if (s.met.has(filterId)) {
    for (const [id, f] of s.byInput) if (f === filterId) s.byInput.set(id, null);
    return;
  }
  s.met.add(filterId);
  s.byInput.set(x.dataId, s.byInput.has(x.dataId) ? null : filterId);
}

/**
 * dW of every tap (filter-grad-columns.ts's filterGradTapwise) written straight into the slot of the filter that met x
 * in the forward, on the arena's microkernel (tap-products-simd.ts's exactTapFilterGrad with its operands in the
 * scratch). Returns the filter's data id when done (its heap gradient is then left unwritten), else null: the heap route.
 */
export function sharedTapFilterGrad(store: WasmStore, g: ConvGeometry, x: tf.TensorInfo, dy: tf.TensorInfo): object | null {
  const s = current;
  const filterId = s?.byInput.get(x.dataId);
  if (!s || !filterId) return null;
  const dest = s.dW.get(filterId);
  const f = filters.get(filterId);
  const { batch, inH, inW, inC, outH, outW, outC, fh, fw, sh, sw, top, left } = g;
  const block = inC * outC;
  if (!dest || !f || dest.length !== fh * fw * block || f.w.length !== dest.length) return null;
  const gemm = (m: number) => exactGemmOn(s.arena, m, outC);
  if (!fits(s, g, inC, (m) => (inC + outC) * m, gemm)) return null;
  const sc = s.scratch;
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const t = i * fw + j;
      const r = tapRange(g, i, j);
      const m = r.count;
      if (!m) {
        dest.fill(0, t * block, (t + 1) * block);
        continue;
      }
      const xs = store.typedArrayFromHeap(x);
      const xAt = pixelOffsets(batch, r, inH, inW, inC, sh, i - top, sw, j - left);
      for (let col = 0; col < m; col++) {
        const base = xAt[col];
        for (let k = 0, d = col; k < inC; k++, d += m) sc[d] = xs[base + k];
      }
      const bAt = inC * m;
      const ds = store.typedArrayFromHeap(dy);
      const dyAt = pixelOffsets(batch, r, outH, outW, outC, 1, 0, 1, 0);
      for (let row = 0; row < m; row++) {
        const base = dyAt[row];
        // channel co: panel co >> 3 (m·8 floats each), row `row`, lane co & 7
        for (let co = 0; co < outC; co += 8) {
          const d = bAt + (co >> 3) * m * 8 + row * 8;
          for (let l = 0; l < 8; l++) sc[d + l] = ds[base + co + l];
        }
      }
      gemm(m)!(sc.byteOffset, sc.byteOffset + 4 * bAt, dest.byteOffset + 4 * t * block, inC / 4, outC / 8);
    }
  }
  s.written.add(filterId);
  runs.filterGrads++;
  return filterId;
}

/**
 * Inference forward on wasm with and without Winograd F(2×2, 3×3) (core/ml/kernels/conv2d-winograd.ts), and the ratio to
 * PyTorch (`npx tsx bench/cnn-winograd.ts [--paper-size=224] [--batch=8] [--rounds=3] [--skip=gemm,layers,torch] [--gemm-only]`);
 * first the route's matrix products alone: XNNPACK's, the FMA one (inference), the exact one (training).
 * Clock: CPU time of this process (tfjs runs on its one thread) and, for PyTorch, of the python process (one thread,
 * time.process_time), so five agents sharing the machine stay out of both; stock and Winograd are interleaved A/B
 * (stock, Winograd, PyTorch, stock, …) and the median of the rounds is printed. Seeds: input 7, weights 1.
 *
 * Measured 2026-11-30 (2-core shared VM, AMD EPYC with FMA3/AVX-512, Node 20.20 with relaxed SIMD turned on by
 * gemm-fma-simd.ts, PyTorch 2.13.0+cpu; load average 4–6), paper model 224 px, batch 8, ms/img (CPU time), median of 3
 * interleaved rounds; "stock" = the kernels before this route (XNNPACK's direct convolution, large filters in blocks):
 *   | layer | input · filter | stock | Winograd, XNNPACK GEMM | Winograd, FMA GEMM | stock / best |
 *   |---|---|---|---|---|---|
 *   | conv1_1 | 224×224×1 · 3×3×1×32 | 6.66 | 8.57 | 6.71 | 0.99 |
 *   | conv1_2 | 224×224×32 · 3×3×32×32 | 36.78 | 27.73 | 21.78 | 1.69 |
 *   | conv2_1 | 112×112×32 · 3×3×32×64 | 19.27 | 12.96 | 8.09 | 2.38 |
 *   | conv2_2 | 112×112×64 · 3×3×64×64 | 33.36 | 20.61 | 14.11 | 2.36 |
 *   | conv3_1 | 56×56×64 · 3×3×64×128 | 15.91 | 12.77 | 5.91 | 2.69 |
 *   | conv3_2 | 56×56×128 · 3×3×128×128 | 30.20 | 19.91 | 13.08 | 2.31 |
 *   | conv4_1 | 28×28×128 · 3×3×128×256 | 15.09 | 7.94 | 5.46 | 2.76 |
 *   | conv4_2 | 28×28×256 · 3×3×256×256 | 30.54 | 17.55 | 9.94 | 3.07 |
 *   | conv5_1 | 14×14×256 · 3×3×256×512 | 16.10 | 7.17 | 4.68 | 3.44 |
 *   | conv5_2 | 14×14×512 · 3×3×512×512 | 31.07 | 14.24 | 9.15 | 3.39 |
 *   | conv6_1 | 7×7×512 · 3×3×512×1024 | 16.38 | 9.22 | 5.70 | 2.87 |
 *   | conv6_2 | 7×7×1024 · 3×3×1024×1024 | 32.28 | 18.07 | 11.23 | 2.87 |
 * Whole model (model.predict; 11 of 12 convs take the route, the first has one input channel):
 *   | forward | ms/img | rounds | / PyTorch |
 *   |---|---|---|---|
 *   | stock | 266.2 | 272.9, 265.1, 266.2 | 2.22 |
 *   | Winograd, XNNPACK GEMM | 149.8 | 154.9, 149.8, 148.8 | 1.25 |
 *   | Winograd, FMA GEMM | 94.9 | 92.9, 94.9, 96.4 | 0.79 |
 *   | PyTorch (one thread) | 120.0 | 121.6, 120.0, 119.0 | 1 |
 * So inference per core went from 2.22× PyTorch's time to 0.79× (1.25× where relaxed SIMD is missing).
 * The GEMMs alone (one run): XNNPACK's matrix product 15.8 / 26.6 / 29.5 / 30.8 GFLOP/s on [25088×32]·[32×32],
 * [6272×128]·[128×128], [784×512]·[512×512], [128×1024]·[1024×1024]; the relaxed-FMA 4×8 kernel 54.3 / 47.8 / 52.3 / 52.0.
 * The exact product (training, task 20-A: f32x4.mul then f32x4.add, IEEE on every CPU) against the two others on the
 * route's product shapes, `--gemm-only --rounds=3`, GFLOP/s in process CPU time (load average 10.5; 2026-11-30):
 *   | M × K · K × N | XNNPACK | FMA (inference) | exact (training) | exact / FMA |
 *   |---|---|---|---|---|
 *   | 25088×32 · 32×32 | 26.9 | 51.8 | 44.4 | 0.86 |
 *   | 6272×64 · 64×64 | 26.6 | 51.0 | 43.9 | 0.86 |
 *   | 6272×128 · 128×128 | 27.6 | 35.7 | 29.7 | 0.83 |
 *   | 1568×256 · 256×256 | 29.5 | 45.1 | 38.0 | 0.84 |
 *   | 784×512 · 512×512 | 29.8 | 48.6 | 42.7 | 0.88 |
 *   | 128×1024 · 1024×1024 | 28.0 | 49.5 | 43.8 | 0.88 |
 * So the deterministic product keeps 83–88 % of the fused one's speed and runs 1.1–1.65× XNNPACK's.
 * An earlier run without the FMA product (load average 9–10): stock 267.3, Winograd 155.4, PyTorch 118.8 ms/img; at
 * batch 1 (--batch=1 --skip=torch) every layer was faster too, whole model 278.6 → 172.7 ms/img.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { selectBackend } from '../core/ml/backend.js';
import { buildModel, presetArchitecture, filtersOfBlock } from '../core/ml/architecture.js';
import { useWinograd, winogradRuns } from '../core/ml/kernels/conv2d-winograd.js';
import { exactGemm, fmaGemm, packB, relaxedSimdAvailable, useFmaGemm } from '../core/ml/kernels/gemm-fma-simd.js';
import { list, num } from './_cnn-options.js';

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** CPU ms of one call of f (warm). */
function timed(f: () => void): number {
  const t0 = cpuMs();
  f();
  return cpuMs() - t0;
}

/** PyTorch's paper-model forward per image, one thread, CPU time of the python process (null: no torch here). */
function torchForward(size: number, batch: number): number | null {
  const code = `
import time, torch, torch.nn as nn
torch.set_num_threads(1)
layers, ci = [], 1
for b in range(6):
    co = 32 * 2**b
    layers += [nn.Conv2d(ci, co, 3, padding=1), nn.ReLU(), nn.Conv2d(co, co, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
    ci = co
d, dense = ci * (${size} // 64) ** 2, []
for u in [256, 128, 64, 32, 16]:
    dense += [nn.Linear(d, u), nn.ReLU()]; d = u
m = nn.Sequential(*layers, nn.Flatten(), *dense, nn.Linear(d, 1)).eval()
x = torch.rand(${batch}, 1, ${size}, ${size})
with torch.no_grad():
    m(x); t = time.process_time(); m(x); print((time.process_time() - t) * 1000 / ${batch})
`;
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8', timeout: 600_000 });
  return r.status === 0 ? Number(r.stdout.trim().split('\n').pop()) : null;
}

/** The three forwards compared: stock; Winograd with XNNPACK's matrix product; Winograd with the relaxed-SIMD FMA one. */
const MODES = ['stock', 'Winograd, XNNPACK GEMM', 'Winograd, FMA GEMM'] as const;
function mode(k: number): void {
  useWinograd(k > 0);
  useFmaGemm(k === 2 ? null : false);
}

/** The wasm backend's heap (tfjs-backend-wasm's BackendWasm; not in its public typings). */
interface Heap {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * The Winograd route's products alone: V_ξ [tiles × Cin] · U_ξ [Cin × Cout] on the paper model's shapes at 224 px,
 * batch 8 (one ξ of 16), with the three GEMMs a convolution can take: XNNPACK's matrix product (inference without
 * relaxed SIMD), the relaxed-SIMD FMA kernel (inference), the exact multiply-then-add kernel (training). CPU time,
 * interleaved rounds, median; GFLOP/s = 2·M·K·N / time.
 */
function gemmTable(rounds: number): void {
  const heap = tf.backend() as unknown as Heap;
  const matMul = tf.getKernel('BatchMatMul', 'wasm')!;
  const shapes: Array<[number, number, number]> = [
    [25088, 32, 32],
    [6272, 64, 64],
    [6272, 128, 128],
    [1568, 256, 256],
    [784, 512, 512],
    [128, 1024, 1024],
  ];
  console.log('\nThe Winograd products alone (one ξ; M = tiles of batch 8 at 224 px), GFLOP/s (CPU time, median):');
  console.log('| M × K · K × N | XNNPACK | FMA (inference) | exact (training) | exact / FMA |');
  console.log('|---|---|---|---|---|');
  for (const [m, k, n] of shapes) {
    const a = heap.makeOutput([m, k], 'float32');
    const b = heap.makeOutput([k, n], 'float32');
    const bp = heap.makeOutput([k, n], 'float32');
    const c = heap.makeOutput([m, n], 'float32');
    const host = Float32Array.from({ length: k * n }, (_, i) => Math.sin(i));
    heap.typedArrayFromHeap(a).set(Float32Array.from({ length: m * k }, (_, i) => Math.cos(i)));
    heap.typedArrayFromHeap(b).set(host);
    packB(host, k, n, heap.typedArrayFromHeap(bp));
    const at = (i: tf.TensorInfo) => heap.typedArrayFromHeap(i).byteOffset;
    const fma = fmaGemm(k, n);
    const exact = exactGemm(k, n)!;
    const reps = Math.max(1, Math.round(2e9 / (2 * m * k * n)));
    const runs: Array<() => void> = [
      () => {
        for (let r = 0; r < reps; r++) {
          const out = matMul.kernelFunc({ inputs: { a, b }, backend: heap as unknown as tf.KernelBackend, attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo;
          heap.disposeData(out.dataId, true);
        }
      },
      () => {
        for (let r = 0; r < reps; r++) fma?.(at(a), at(bp), at(c), m / 4, n / 8);
      },
      () => {
        for (let r = 0; r < reps; r++) exact(at(a), at(bp), at(c), m / 4, n / 8);
      },
    ];
    const t: number[][] = [[], [], []];
    runs.forEach((f) => f());
    for (let r = 0; r < rounds; r++) runs.forEach((f, i) => t[i].push(timed(f)));
    const gflops = t.map((v) => (2 * m * k * n * reps) / (median(v) * 1e6));
    console.log(`| ${m}×${k} · ${k}×${n} | ${gflops[0].toFixed(1)} | ${fma ? gflops[1].toFixed(1) : '—'} | ${gflops[2].toFixed(1)} | ${fma ? (gflops[2] / gflops[1]).toFixed(2) : '—'} |`);
    for (const i of [a, b, bp, c]) heap.disposeData(i.dataId, true);
  }
}

async function main(): Promise<void> {
  await selectBackend('wasm');
  console.log(`relaxed SIMD (f32x4.relaxed_madd): ${relaxedSimdAvailable() ? 'available' : 'missing — the FMA column repeats the XNNPACK one'}`);
  const size = num('paper-size', 224);
  const batch = num('batch', 8);
  const rounds = num('rounds', 3);
  const skip = list('skip', []);
  console.log(`paper model ${size} px, batch ${batch}, ${rounds} interleaved rounds; load average at start ${loadavg().map((v) => v.toFixed(1)).join(' ')}`);
  const a = presetArchitecture('paper', { inputSize: size });
  if (!skip.includes('gemm')) gemmTable(rounds);
  if (process.argv.includes('--gemm-only')) return;

  if (!skip.includes('layers')) {
    console.log('\nPer layer (FusedConv2D + bias + ReLU, ms/img, median):');
    console.log(`| layer | input · filter | ${MODES.join(' | ')} | stock / best |`);
    console.log('|---|---|---|---|---|---|');
    let cin: number = a.channels;
    for (let b = 0; b < a.blocks; b++) {
      const px = size >> b;
      const co = filtersOfBlock(a, b);
      for (let c = 0; c < a.convsPerBlock; c++) {
        const x = tf.randomUniform([batch, px, px, cin], 0, 1, 'float32', 7) as tf.Tensor4D;
        const w = tf.randomUniform([3, 3, cin, co], -0.05, 0.05, 'float32', 1) as tf.Tensor4D;
        const bias = tf.zeros([co]) as tf.Tensor1D;
        const run = () => tf.tidy(() => void tf.fused.conv2d({ x, filter: w, bias, activation: 'relu', pad: 'same', strides: 1 }).dataSync());
        const t: number[][] = MODES.map(() => []);
        for (const k of [0, 1, 2]) (mode(k), run()); // warm: packing, filter transforms
        for (let r = 0; r < rounds; r++) for (const k of [0, 1, 2]) (mode(k), t[k].push(timed(run) / batch));
        const m = t.map(median);
        console.log(`| conv${b + 1}_${c + 1} | ${px}×${px}×${cin} · 3×3×${cin}×${co} | ${m.map((v) => v.toFixed(2)).join(' | ')} | ${(m[0] / Math.min(m[1], m[2])).toFixed(2)} |`);
        tf.dispose([x, w, bias]);
        cin = co;
      }
    }
  }

  const model = buildModel(a, 1);
  const x = tf.randomUniform([batch, size, size, a.channels], 0, 1, 'float32', 7);
  const run = () => tf.tidy(() => void (model.predict(x) as tf.Tensor).dataSync());
  const t: number[][] = [[], [], [], []];
  for (const k of [0, 1, 2]) (mode(k), run());
  const before = winogradRuns();
  const torchOn = !skip.includes('torch');
  for (let r = 0; r < rounds; r++) {
    for (const k of [0, 1, 2]) (mode(k), t[k].push(timed(run) / batch));
    const pt = torchOn ? torchForward(size, batch) : null;
    if (pt !== null) t[3].push(pt);
  }
  mode(2);
  console.log(`\nWhole model forward (model.predict), ms/img, median of ${rounds}; ${(winogradRuns() - before) / rounds / 2} convolutions per pass took the route`);
  console.log('| forward | ms/img | rounds | / PyTorch |');
  console.log('|---|---|---|---|');
  const pt = t[3].length ? median(t[3]) : null;
  const ratio = (v: number) => (pt ? (v / pt).toFixed(2) : '—');
  MODES.forEach((name, k) => console.log(`| ${name} | ${median(t[k]).toFixed(1)} | ${t[k].map((v) => v.toFixed(1)).join(', ')} | ${ratio(median(t[k]))} |`));
  const why = torchOn ? '(not importable here)' : '(left out: --skip=torch)';
  console.log(`| PyTorch ${pt ? '(one thread)' : why} | ${pt ? pt.toFixed(1) : '—'} | ${t[3].map((v) => v.toFixed(1)).join(', ')} | 1 |`);
  console.log(`load average at end ${loadavg().map((v) => v.toFixed(1)).join(' ')}`);
  model.dispose();
  x.dispose();
}

void main();

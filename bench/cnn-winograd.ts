/**
 * Inference forward on wasm with and without Winograd F(2×2, 3×3) (core/ml/kernels/conv2d-winograd.ts), and the ratio to
 * PyTorch (`npx tsx bench/cnn-winograd.ts [--paper-size=224] [--batch=8] [--rounds=3] [--skip=layers,torch]`).
 * Clock: CPU time of this process (tfjs runs on its one thread) and, for PyTorch, of the python process (one thread,
 * time.process_time), so five agents sharing the machine stay out of both; stock and Winograd are interleaved A/B
 * (stock, Winograd, PyTorch, stock, …) and the median of the rounds is printed. Seeds: input 7, weights 1.
 *
 * Measured 2026-11-30 (2-core shared VM, AMD EPYC with AVX-512, Node 20.20, PyTorch 2.13.0+cpu; load average 9–10),
 * paper model 224 px, batch 8, ms/img (CPU time), median of 3 interleaved rounds; "stock" = the kernels before this route
 * (XNNPACK's direct convolution, large filters in blocks, conv2d-forward-blocks.ts):
 *   | layer | input · filter | stock | Winograd | stock / Winograd |
 *   |---|---|---|---|---|
 *   | conv1_1 | 224×224×1 · 3×3×1×32 | 6.37 | 6.36 | 1.00 |
 *   | conv1_2 | 224×224×32 · 3×3×32×32 | 37.27 | 28.91 | 1.29 |
 *   | conv2_1 | 112×112×32 · 3×3×32×64 | 16.80 | 14.30 | 1.17 |
 *   | conv2_2 | 112×112×64 · 3×3×64×64 | 31.09 | 23.86 | 1.30 |
 *   | conv3_1 | 56×56×64 · 3×3×64×128 | 15.34 | 9.68 | 1.58 |
 *   | conv3_2 | 56×56×128 · 3×3×128×128 | 29.25 | 16.58 | 1.76 |
 *   | conv4_1 | 28×28×128 · 3×3×128×256 | 14.59 | 7.96 | 1.83 |
 *   | conv4_2 | 28×28×256 · 3×3×256×256 | 29.64 | 15.90 | 1.86 |
 *   | conv5_1 | 14×14×256 · 3×3×256×512 | 16.03 | 7.71 | 2.08 |
 *   | conv5_2 | 14×14×512 · 3×3×512×512 | 30.86 | 13.93 | 2.22 |
 *   | conv6_1 | 7×7×512 · 3×3×512×1024 | 16.41 | 9.04 | 1.82 |
 *   | conv6_2 | 7×7×1024 · 3×3×1024×1024 | 32.86 | 19.05 | 1.73 |
 * Whole model (model.predict; stock rounds 274.6, 266.4, 267.3; Winograd 155.4, 157.0, 151.2; 11 of 12 convs take the
 * route, the first has one input channel):
 *   | forward | ms/img | / PyTorch |
 *   |---|---|---|
 *   | stock wasm kernels | 267.3 | 2.25 |
 *   | Winograd (inference) | 155.4 | 1.31 |
 *   | PyTorch (one thread; rounds 117.8, 119.1, 118.8) | 118.8 | 1 |
 * Batch 1 (--batch=1 --skip=torch, load average 7–9): every layer faster too (conv6_2 34.1 → 25.8, conv1_2 36.7 → 27.2);
 * whole model 278.6 → 172.7 ms/img.
 * Where the time goes inside the route (one run, per image): the 16 GEMMs 14–18 ms per layer (~26–29 GFLOP/s, XNNPACK's
 * matrix product), the input transform 0.2–2.4 ms, the output transform 0.1–2.3 ms, the padded copy 0.04–1.4 ms.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { selectBackend } from '../core/ml/backend.js';
import { buildModel, presetArchitecture, filtersOfBlock } from '../core/ml/architecture.js';
import { useWinograd, winogradRuns } from '../core/ml/kernels/conv2d-winograd.js';
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

async function main(): Promise<void> {
  await selectBackend('wasm');
  const size = num('paper-size', 224);
  const batch = num('batch', 8);
  const rounds = num('rounds', 3);
  const skip = list('skip', []);
  console.log(`paper model ${size} px, batch ${batch}, ${rounds} interleaved rounds; load average at start ${loadavg().map((v) => v.toFixed(1)).join(' ')}`);
  const a = presetArchitecture('paper', { inputSize: size });

  if (!skip.includes('layers')) {
    console.log('\nPer layer (FusedConv2D + bias + ReLU, ms/img, median):');
    console.log('| layer | input · filter | stock | Winograd | stock / Winograd |');
    console.log('|---|---|---|---|---|');
    let cin: number = a.channels;
    for (let b = 0; b < a.blocks; b++) {
      const px = size >> b;
      const co = filtersOfBlock(a, b);
      for (let c = 0; c < a.convsPerBlock; c++) {
        const x = tf.randomUniform([batch, px, px, cin], 0, 1, 'float32', 7) as tf.Tensor4D;
        const w = tf.randomUniform([3, 3, cin, co], -0.05, 0.05, 'float32', 1) as tf.Tensor4D;
        const bias = tf.zeros([co]) as tf.Tensor1D;
        const run = () => tf.tidy(() => void tf.fused.conv2d({ x, filter: w, bias, activation: 'relu', pad: 'same', strides: 1 }).dataSync());
        const t: number[][] = [[], []];
        for (const on of [false, true]) (useWinograd(on), run()); // warm: packing, filter transform
        for (let r = 0; r < rounds; r++) for (const k of [0, 1]) (useWinograd(k === 1), t[k].push(timed(run) / batch));
        const [s, wg] = t.map(median);
        console.log(`| conv${b + 1}_${c + 1} | ${px}×${px}×${cin} · 3×3×${cin}×${co} | ${s.toFixed(2)} | ${wg.toFixed(2)} | ${(s / wg).toFixed(2)} |`);
        tf.dispose([x, w, bias]);
        cin = co;
      }
    }
  }

  const model = buildModel(a, 1);
  const x = tf.randomUniform([batch, size, size, a.channels], 0, 1, 'float32', 7);
  const run = () => tf.tidy(() => void (model.predict(x) as tf.Tensor).dataSync());
  const t: number[][] = [[], [], []];
  for (const on of [false, true]) (useWinograd(on), run());
  const before = winogradRuns();
  const torchOn = !skip.includes('torch');
  for (let r = 0; r < rounds; r++) {
    for (const k of [0, 1]) (useWinograd(k === 1), t[k].push(timed(run) / batch));
    const pt = torchOn ? torchForward(size, batch) : null;
    if (pt !== null) t[2].push(pt);
  }
  useWinograd(true);
  const [s, wg] = [median(t[0]), median(t[1])];
  console.log(`\nWhole model forward (model.predict), ms/img, median of ${rounds} (rounds: stock ${t[0].map((v) => v.toFixed(1)).join(', ')}; Winograd ${t[1].map((v) => v.toFixed(1)).join(', ')}); ${(winogradRuns() - before) / rounds} convolutions per pass took the route`);
  console.log('| forward | ms/img | / PyTorch |');
  console.log('|---|---|---|');
  const pt = t[2].length ? median(t[2]) : null;
  const ratio = (v: number) => (pt ? (v / pt).toFixed(2) : '—');
  console.log(`| stock wasm kernels | ${s.toFixed(1)} | ${ratio(s)} |`);
  console.log(`| Winograd (inference) | ${wg.toFixed(1)} | ${ratio(wg)} |`);
  const why = torchOn ? '(not importable here)' : '(left out: --skip=torch)';
  console.log(`| PyTorch ${pt ? `(one thread; rounds ${t[2].map((v) => v.toFixed(1)).join(', ')})` : why} | ${pt ? pt.toFixed(1) : '—'} | 1 |`);
  console.log(`load average at end ${loadavg().map((v) => v.toFixed(1)).join(' ')}`);
  model.dispose();
  x.dispose();
}

void main();

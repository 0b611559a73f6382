/**
 * Where the CNN's forward pass goes on wasm, layer by layer (`npm run bench cnn-forward-profile`): every wasm
 * kernel timed in CPU time (of this process, which runs tfjs on one thread) (a shared machine's other work stays out), each convolution with its
 * multiply-add count and the GFLOP/s it reaches; then forward ms/img of the paper and compact presets with Ferrolab's
 * forward kernels (filter blocks, conv2d-forward-blocks.ts; inference 3×3 convs by Winograd, conv2d-winograd.ts, whose
 * GFLOP/s column counts the direct convolution's multiply-adds) and with the stock kernel whole, at several batch sizes.
 * Reference for the GFLOP/s column: wasm SIMD is 128-bit without fused multiply-add, so a core issuing two 4-lane
 * multiplies and two 4-lane adds per cycle peaks at 16 flop/cycle (~48 GFLOP/s at 3 GHz); XNNPACK's wasm GEMM
 * reaches about two thirds of that. PyTorch on x86 uses AVX2/AVX-512 FMA (32–64 flop/cycle).
 *   npx tsx bench/cnn-forward-profile.ts [--paper-size=224] [--batches=1,8,32] [--reps=2] [--presets=paper,compact]
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../core/ml/backend.js';
import { buildModel, presetArchitecture, multiplyAdds, type PresetName } from '../core/ml/architecture.js';
import { useFilterBlocks } from '../core/ml/kernels/conv2d-forward-blocks.js';
import { useWinograd } from '../core/ml/kernels/conv2d-winograd.js';
import { benchOptions, list, num } from './_cnn-options.js';
import { loadavg } from 'node:os';

/**
 * CPU time of this process in ms (getrusage: the running thread's time is brought up to date when read, where
 * /proc/thread-self/schedstat advances only at scheduler ticks and reads 0 for a sub-millisecond kernel). The bench
 * runs tfjs on its one thread, so the process's CPU time is that thread's plus Node's little housekeeping.
 */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Call {
  kernel: string;
  shape: string;
  ms: number;
  flops: number;
}
const calls: Call[] = [];
let depth = 0;

/** Times every wasm kernel called from outside another kernel (the blocks' inner stock calls count in their layer). */
function wrapKernels(): void {
  for (const k of tf.getKernelsForBackend('wasm')) {
    const inner = k.kernelFunc;
    tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel({
      ...k,
      kernelFunc: (args) => {
        if (depth > 0) return inner(args);
        depth++;
        const t0 = cpuMs();
        try {
          const out = inner(args) as tf.TensorInfo;
          const { x, filter } = args.inputs as Record<string, tf.TensorInfo | undefined>;
          const flops = filter && filter.shape.length === 4 ? 2 * tf.util.sizeFromShape(out.shape) * filter.shape[0] * filter.shape[1] * filter.shape[2] : 0;
          calls.push({ kernel: k.kernelName, shape: `${x?.shape.join('×') ?? ''}${filter ? ` · ${filter.shape.join('×')}` : ''}`, ms: cpuMs() - t0, flops });
          return out;
        } finally {
          depth--;
        }
      },
    });
  }
}

function model(preset: PresetName) {
  const a = presetArchitecture(preset, preset === 'paper' ? { inputSize: benchOptions.paperSize } : {});
  return { a, m: buildModel(a, 1) };
}

/** Forward ms/img (CPU time), warm: at least `reps` passes and at least 2 s of CPU (compact's batch takes ~10 ms). */
function forwardMs(m: tf.LayersModel, x: tf.Tensor, reps: number): number {
  const run = () => tf.tidy(() => (m.predict(x) as tf.Tensor).dataSync());
  run();
  const t0 = cpuMs();
  let n = 0;
  while (n < reps || cpuMs() - t0 < 2000) {
    run();
    n++;
  }
  return (cpuMs() - t0) / n / x.shape[0];
}

function layerTable(preset: PresetName, batch: number, reps: number): void {
  const { a, m } = model(preset);
  const x = tf.randomUniform([batch, a.inputSize, a.inputSize, a.channels], 0, 1, 'float32', 7);
  const run = () => tf.tidy(() => (m.predict(x) as tf.Tensor).dataSync());
  run();
  calls.length = 0;
  const t0 = cpuMs();
  for (let i = 0; i < reps; i++) run();
  const total = cpuMs() - t0;
  const rows = new Map<string, Call>();
  for (const c of calls) {
    const key = `${c.kernel} ${c.shape}`;
    const r = rows.get(key) ?? { ...c, ms: 0, flops: 0 };
    r.ms += c.ms;
    r.flops += c.flops;
    rows.set(key, r);
  }
  const per = (ms: number) => (ms / reps / batch).toFixed(2);
  console.log(`\n${preset} ${a.inputSize} px, batch ${batch}: ${per(total)} ms/img (${(multiplyAdds(a) / 1e9).toFixed(2)} G multiply-adds/img)`);
  console.log('| kernel | input · filter | ms/img | share | GFLOP/s |');
  console.log('|---|---|---|---|---|');
  let inKernels = 0;
  for (const r of rows.values()) {
    inKernels += r.ms;
    if (r.ms / total < 0.003) continue;
    console.log(`| ${r.kernel} | ${r.shape} | ${per(r.ms)} | ${((100 * r.ms) / total).toFixed(1)} % | ${r.flops ? (r.flops / r.ms / 1e6).toFixed(1) : ''} |`);
  }
  console.log(`| (other kernels, outside kernels) | | ${per(total - [...rows.values()].filter((r) => r.ms / total >= 0.003).reduce((s, r) => s + r.ms, 0))} | | |`);
  void inKernels;
  x.dispose();
  m.dispose();
}

async function main(): Promise<void> {
  await selectBackend('wasm');
  const reps = num('reps', 2);
  const batches = list('batches', ['1', '8', '32']).map(Number);
  const presets = list('presets', ['paper', 'compact']) as PresetName[];
  console.log(`Clock: CPU time of this process (one tfjs thread); load average at start ${loadavg().map((v) => v.toFixed(1)).join(' ')}`);
  wrapKernels();
  for (const p of presets) layerTable(p, 8, reps);
  console.log('\nForward ms/img (CPU time): Ferrolab forward kernels / stock wasm kernels');
  console.log(`| preset | ${batches.map((b) => `batch ${b}`).join(' | ')} |`);
  console.log(`|---|${batches.map(() => '---|').join('')}`);
  for (const p of presets) {
    const { a, m } = model(p);
    const cells = batches.map((b) => {
      const x = tf.randomUniform([b, a.inputSize, a.inputSize, a.channels], 0, 1, 'float32', 7);
      useFilterBlocks(false);
      useWinograd(false);
      const stock = forwardMs(m, x, reps);
      useFilterBlocks(true);
      useWinograd(true);
      const ours = forwardMs(m, x, reps);
      x.dispose();
      return `${ours.toFixed(1)} / ${stock.toFixed(1)}`;
    });
    console.log(`| ${p} ${a.inputSize} px | ${cells.join(' | ')} |`);
    m.dispose();
  }
  console.log(`load average at end ${loadavg().map((v) => v.toFixed(1)).join(' ')}`);
}

void main();

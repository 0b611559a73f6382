/**
 * Per conv layer of the paper model on wasm (`npm run bench conv-grad-layers`): this thread's CPU time of the
 * forward convolution, the filter gradient dW and the input gradient dX, ms per image, median of --reps runs.
 * Says which layers make dW cost more than the forward pass (cnn-profile gives the whole step's split).
 * --routes: dW of each layer by every route of the wasm kernel (conv trick, tap-wise GEMMs, column product) and
 * the one the kernel takes, to check its thresholds.
 *   npx tsx bench/conv-grad-layers.ts [--paper-size=224] [--paper-batch=8] [--reps=3] [--layers=1,2] [--routes]
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../core/ml/backend.js';
import { filtersOfBlock, presetArchitecture } from '../core/ml/architecture.js';
import { benchOptions, has, list, num } from './_cnn-options.js';
import { convGeometry } from '../core/ml/kernels/conv-geometry.js';
import { filterGradByConvTrick } from '../core/ml/kernels/conv2d-backprop-filter.js';
import { filterGradByTaps, tapsApply } from '../core/ml/kernels/filter-grad-taps.js';
import { columnsApply, filterGradByColumns } from '../core/ml/kernels/filter-grad-columns.js';
import { threadCpuClock, threadMs } from './_thread-cpu.js';

interface Layer {
  name: string;
  size: number;
  cin: number;
  cout: number;
}

function layers(): Layer[] {
  const a = presetArchitecture('paper', { inputSize: benchOptions.paperSize });
  const out: Layer[] = [];
  let size = a.inputSize;
  let cin: number = a.channels;
  for (let b = 0; b < a.blocks; b++) {
    const f = filtersOfBlock(a, b);
    for (let c = 0; c < a.convsPerBlock; c++) {
      out.push({ name: `conv${b + 1}_${c + 1}`, size, cin, cout: f });
      cin = f;
    }
    size = Math.floor(size / 2);
  }
  return out;
}

const median = (v: number[]) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)];

/** A tidy that returns nothing: tidy walks a returned typed array element by element looking for tensors. */
function run(f: () => tf.Tensor): void {
  tf.tidy(() => {
    f().dataSync();
  });
}

function time(reps: number, f: () => tf.Tensor): number {
  run(f); // warm: operator creation, heap growth
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = threadMs();
    run(f);
    ts.push(threadMs() - t0);
  }
  return median(ts);
}

async function main(): Promise<void> {
  const be = await selectBackend('wasm');
  const reps = num('reps', 3);
  const batch = benchOptions.paperBatch;
  const only = list('layers', []).map(Number);
  if (has('routes')) return routes(reps, batch, only);
  console.log(`\nper conv layer on ${be.tfjsBackend}, paper ${benchOptions.paperSize} px, batch ${batch}: ms/img ${threadCpuClock ? 'CPU time of this thread' : 'wall time'}, median of ${reps}`);
  console.log('| layer | in | forward | dW | dW/forward | dX |');
  console.log('|---|---|---|---|---|---|');
  const sum = { f: 0, w: 0, x: 0 };
  layers().forEach((l, i) => {
    if (only.length && !only.includes(i + 1)) return;
    const x = tf.randomUniform([batch, l.size, l.size, l.cin]) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, l.cin, l.cout]) as tf.Tensor4D;
    const dy = tf.randomNormal([batch, l.size, l.size, l.cout]) as tf.Tensor4D;
    const f = time(reps, () => tf.conv2d(x, w, 1, 'same'));
    const dW = time(reps, () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, l.cin, l.cout] }) as tf.Tensor);
    const dX = i === 0 ? NaN : time(reps, () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: x.shape }) as tf.Tensor);
    tf.dispose([x, w, dy]);
    sum.f += f;
    sum.w += dW;
    if (!Number.isNaN(dX)) sum.x += dX;
    const r = (v: number) => (v / batch).toFixed(1);
    console.log(`| ${l.name} | ${l.size}²×${l.cin}→${l.cout} | ${r(f)} | ${r(dW)} | ${(dW / f).toFixed(2)} | ${Number.isNaN(dX) ? '–' : r(dX)} |`);
  });
  console.log(`| all | | ${(sum.f / batch).toFixed(1)} | ${(sum.w / batch).toFixed(1)} | ${(sum.w / sum.f).toFixed(2)} | ${(sum.x / batch).toFixed(1)} |`);
}

/** dW per route and layer, ms per image; the taken route is starred. */
function routes(reps: number, batch: number, only: number[]): void {
  console.log(`\ndW routes per conv layer on wasm, paper ${benchOptions.paperSize} px, batch ${batch}: ms/img ${threadCpuClock ? 'CPU time of this thread' : 'wall time'}, median of ${reps} (* = taken)`);
  console.log('| layer | in | conv trick | tap-wise | columns |');
  console.log('|---|---|---|---|---|');
  layers().forEach((l, i) => {
    if (only.length && !only.includes(i + 1)) return;
    const x = tf.randomUniform([batch, l.size, l.size, l.cin]) as tf.Tensor4D;
    const dy = tf.randomNormal([batch, l.size, l.size, l.cout]) as tf.Tensor4D;
    const g = convGeometry(x.shape, [3, 3, l.cin, l.cout], 1, 'same', undefined, 'NHWC');
    const taken = tapsApply(g) ? 1 : columnsApply(g) ? 2 : 0;
    const colsFit = 9 * l.cin * batch * l.size * l.size <= 8 << 20;
    const cells = [() => filterGradByConvTrick(x, dy, g), () => filterGradByTaps(x, dy, g), colsFit ? () => filterGradByColumns(x, dy, g) : null].map((f, k) =>
      f ? `${(time(reps, f) / batch).toFixed(1)}${k === taken ? '*' : ''}` : '–',
    );
    tf.dispose([x, dy]);
    console.log(`| ${l.name} | ${l.size}²×${l.cin}→${l.cout} | ${cells.join(' | ')} |`);
  });
}

void main();

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What a user's pretrained network (a TF.js layers folder, core/ml/pretrained-model.ts) costs a step, read from its
 * model.json alone (no weights loaded, nothing built): for the time estimate's step model (core/experiments/
 * segregation/cnn-protocol.ts). Walks the layers in their stored (topological) order, following each layer's output
 * shape; multiply-adds are counted for the layers that have them (Conv2D, DepthwiseConv2D, SeparableConv2D, Dense),
 * other layers pass their first input's shape on (a stated simplification: batch norm, activations, additions cost
 * little beside the convolutions).
 */

export interface LayersCost {
  layers: number;
  multiplyAdds: number;
  /** Values per sample at the end: the channels of a feature map (global average pooling), or a vector's length. */
  width: number;
  /** The last layer walked whose output is a feature map (the transfer head's default cut, transfer-model.ts defaultCut). */
  lastMap: string | null;
}

type Shape = number[]; // [h, w, c] or [n]
interface KerasLayer {
  class_name: string;
  name?: string;
  config: Record<string, unknown> & { name?: string };
  inbound_nodes?: unknown[];
}

const pair = (v: unknown, fallback: number): [number, number] => (Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : typeof v === 'number' ? [v, v] : [fallback, fallback]);

function spatial(h: number, k: number, s: number, padding: unknown): number {
  return padding === 'same' ? Math.ceil(h / s) : Math.floor((h - k) / s) + 1;
}

/** Names of the layers feeding a functional layer (Keras 2 `[[name, node, tensor, kwargs]]` or Keras 3 `keras_history`). */
function inboundNames(node: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      if (typeof v[0] === 'string' && typeof v[1] === 'number') out.push(v[0]);
      else v.forEach(visit);
    } else if (v && typeof v === 'object') {
      const h = (v as { keras_history?: unknown }).keras_history;
      if (Array.isArray(h) && typeof h[0] === 'string') out.push(h[0]);
      else Object.values(v).forEach(visit);
    }
  };
  visit(node);
  return out;
}

function layersOf(topology: unknown): { layers: KerasLayer[]; sequential: boolean } {
  const t = topology as { model_config?: unknown; class_name?: string; config?: unknown };
  const model = (t.model_config ?? t) as { class_name?: string; config?: unknown };
  const config = model.config as { layers?: KerasLayer[] } | KerasLayer[];
  const layers = Array.isArray(config) ? config : (config?.layers ?? []);
  return { layers, sequential: model.class_name === 'Sequential' };
}

/**
 * The cost per sample of the network up to `cutAfter` (null: the whole network), at input side `inputSize`
 * (null: the network's own).
 */
export function topologyCost(topology: unknown, cutAfter: string | null = null, inputSize: number | null = null): LayersCost {
  const { layers, sequential } = layersOf(topology);
  const shapes = new Map<string, Shape>();
  let last: Shape | null = null;
  let lastMap: string | null = null;
  let weighted = 0;
  let macs = 0;
  for (const l of layers) {
    const c = l.config;
    const name = String(c.name ?? l.name ?? '');
    const inputs = sequential ? (last ? [last] : []) : inboundNames(l.inbound_nodes ?? []).map((n) => shapes.get(n)).filter((s): s is Shape => !!s);
    const declared = (c.batch_input_shape ?? c.batch_shape) as (number | null)[] | undefined;
    let x: Shape | undefined = inputs[0];
    if (declared && declared.length === 4) {
      const side = inputSize ?? Number(declared[1]);
      x = [side, side, Number(declared[3])];
      if (l.class_name === 'InputLayer') {
        shapes.set(name, x);
        last = x;
        continue;
      }
    }
    if (!x) continue;
    let out: Shape = x;
    const [h, w, cin] = x;
    switch (l.class_name) {
      case 'Conv2D':
      case 'DepthwiseConv2D':
      case 'SeparableConv2D': {
        const [kh, kw] = pair(c.kernel_size, 3);
        const [sh, sw] = pair(c.strides, 1);
        const oh = spatial(h, kh, sh, c.padding);
        const ow = spatial(w, kw, sw, c.padding);
        const mult = Number(c.depth_multiplier ?? 1);
        const filters = Number(c.filters ?? cin * mult);
        const perPosition = l.class_name === 'Conv2D' ? kh * kw * cin * filters : l.class_name === 'DepthwiseConv2D' ? kh * kw * cin * mult : kh * kw * cin * mult + cin * mult * filters;
        macs += oh * ow * perPosition;
        weighted++;
        out = [oh, ow, l.class_name === 'DepthwiseConv2D' ? cin * mult : filters];
        break;
      }
      case 'Dense': {
        const units = Number(c.units);
        macs += x.reduce((a, b) => a * b, 1) * units;
        weighted++;
        out = x.length === 3 ? [h, w, units] : [units];
        break;
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const [ph, pw] = pair(c.pool_size, 2);
        const [sh, sw] = pair(c.strides ?? c.pool_size, 2);
        out = [spatial(h, ph, sh, c.padding), spatial(w, pw, sw, c.padding), cin];
        break;
      }
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling2D':
        out = [cin];
        break;
      case 'Flatten':
        out = [x.reduce((a, b) => a * b, 1)];
        break;
      case 'ZeroPadding2D': {
        const p = c.padding;
        const [[t, b], [le, r]] = Array.isArray(p) && Array.isArray(p[0]) ? (p as [[number, number], [number, number]]) : (() => { const [a, d] = pair(p, 1); return [[a, a], [d, d]] as [[number, number], [number, number]]; })();
        out = [h + t + b, w + le + r, cin];
        break;
      }
      case 'Concatenate':
        out = x.length === 3 ? [h, w, inputs.reduce((a, s) => a + (s[2] ?? 0), 0)] : [inputs.reduce((a, s) => a + (s[0] ?? 0), 0)];
        break;
      default:
        out = x;
    }
    shapes.set(name, out);
    last = out;
    if (out.length === 3) lastMap = name;
    if (cutAfter !== null && name === cutAfter) break;
  }
  const end = last ?? [0];
  return { layers: weighted, multiplyAdds: macs, width: end.length === 3 ? end[2] : end[0], lastMap };
}

/** A user's network folder: its cost whole and up to the transfer head's cut (default: the last feature map). */
export function pretrainedCost(dir: string, cutAfter: string | null): { whole: LayersCost; features: LayersCost } {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { modelTopology?: unknown };
  const topology = json.modelTopology;
  const whole = topologyCost(topology);
  return { whole, features: topologyCost(topology, cutAfter ?? whole.lastMap) };
}

import * as tf from '@tensorflow/tfjs';
import { withoutWinograd } from './kernels/conv2d-winograd.js';
import sharp from 'sharp';
import { convLayerIndices } from './architecture.js';
import { beginGpuWork, readBack } from './webgpu-backend.js';

export interface GradCamResult {
  /** 1-based conv layer number (the paper's "layer 1…12"). */
  convLayer: number;
  layerName: string;
  /** Activation map at input resolution, normalised to [0, 1] (all zeros when the raw map is all ≤ 0). */
  cam: Float32Array;
  size: number;
  /** Max of the map before normalisation (0 means the guard produced zeros). */
  rawMax: number;
  /** The model's output for the image. */
  prediction: number;
}

/** The tensors of one Grad-CAM, still on the backend (the caller reads and disposes them). */
interface CamTensors {
  up: tf.Tensor4D;
  max: tf.Scalar;
  value: tf.Scalar;
  layerName: string;
  size: number;
}

function camTensors(model: tf.LayersModel, image: Float32Array, convLayer: number): CamTensors {
  const convs = convLayerIndices(model);
  if (!Number.isInteger(convLayer) || convLayer < 1 || convLayer > convs.length) {
    throw new Error(`Grad-CAM: conv layer must be 1..${convs.length}, got ${convLayer}`);
  }
  const li = convs[convLayer - 1];
  const shape = model.inputs[0].shape.slice(1) as [number, number, number];
  const [h, w, c] = shape;
  if (image.length !== h * w * c) throw new Error(`Grad-CAM: image has ${image.length} values, the model takes ${h}×${w}×${c}`);
  const layers = model.layers;
  // The stock kernels throughout (core/ml/kernels/conv2d-winograd.ts: withoutWinograd): the layers before the tape
  // would otherwise take the inference product and those under it the training one, and the prediction reported
  // would differ in its last bits from one conv layer to the next.
  const t = withoutWinograd(() => tf.tidy(() => {
    const x = tf.tensor4d(image, [1, h, w, c]);
    let fm: tf.Tensor = x;
    for (let i = 0; i <= li; i++) fm = layers[i].apply(fm, { training: false }) as tf.Tensor;
    const head = (f: tf.Tensor): tf.Scalar => {
      let z = f;
      for (let i = li + 1; i < layers.length; i++) z = layers[i].apply(z, { training: false }) as tf.Tensor;
      return tf.sum(z) as tf.Scalar;
    };
    const { value, grad } = tf.valueAndGrad(head)(fm);
    const weights = tf.mean(grad, [1, 2], true); // [1,1,1,C]
    const map = tf.relu(tf.sum(tf.mul(fm, weights), -1, true)) as tf.Tensor4D; // [1,fh,fw,1]
    const up = tf.image.resizeBilinear(map, [h, w], false, true);
    return { up, max: tf.max(up) as tf.Scalar, value };
  }));
  return { ...t, layerName: layers[li].name, size: h };
}

/** Normalises the upsampled map by its maximum (all zeros when the raw map is all ≤ 0). */
function finish(convLayer: number, t: CamTensors, up: Float32Array, maxV: number, prediction: number): GradCamResult {
  tf.dispose([t.up, t.max, t.value]);
  const ok = maxV > 0 && Number.isFinite(maxV);
  const cam = new Float32Array(up.length);
  if (ok) for (let i = 0; i < up.length; i++) cam[i] = up[i] / maxV;
  return { convLayer, layerName: t.layerName, cam, size: t.size, rawMax: ok ? maxV : 0, prediction };
}

/**
 * Grad-CAM (Selvaraju et al. 2017) for a regression output: gradients of the scalar prediction w.r.t.
 * the chosen conv layer's feature maps, averaged over space as channel weights, weighted sum of the
 * maps, ReLU, bilinear upsampling to the input size, normalised by its maximum.
 * `image` is one NHWC sample (values 0..1) of the model's input shape.
 * Synchronous reads work on wasm and cpu only; on webgpu (no synchronous readback in Node) use gradCamAsync.
 */
export function gradCam(model: tf.LayersModel, image: Float32Array, convLayer: number): GradCamResult {
  if (tf.getBackend() === 'webgpu') throw new Error('Grad-CAM: the synchronous form cannot read from the GPU; use gradCamAsync on webgpu');
  const t = camTensors(model, image, convLayer);
  return finish(convLayer, t, t.up.dataSync() as Float32Array, t.max.dataSync()[0], t.value.dataSync()[0]);
}

/** Grad-CAM read back asynchronously: the form that runs on every backend, webgpu included. */
export async function gradCamAsync(model: tf.LayersModel, image: Float32Array, convLayer: number): Promise<GradCamResult> {
  beginGpuWork();
  const t = camTensors(model, image, convLayer);
  let read: Float32Array[];
  try {
    read = await Promise.all([readBack(t.up), readBack(t.max), readBack(t.value)]);
  } catch (err) {
    tf.dispose([t.up, t.max, t.value]);
    throw err;
  }
  return finish(convLayer, t, read[0], read[1][0], read[2][0]);
}

/** Grad-CAM for every conv layer (the paper's Fig. 9 gallery). */
export function gradCamAllLayers(model: tf.LayersModel, image: Float32Array): GradCamResult[] {
  return convLayerIndices(model).map((_, k) => gradCam(model, image, k + 1));
}

/** gradCamAllLayers on every backend (webgpu included). */
export async function gradCamAllLayersAsync(model: tf.LayersModel, image: Float32Array): Promise<GradCamResult[]> {
  const out: GradCamResult[] = [];
  for (let k = 0; k < convLayerIndices(model).length; k++) out.push(await gradCamAsync(model, image, k + 1));
  return out;
}

/** Jet colour map (blue → cyan → yellow → red) for v in [0, 1]. */
export function jet(v: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, v));
  const r = Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - 3)));
  const g = Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - 2)));
  const b = Math.min(1, Math.max(0, 1.5 - Math.abs(4 * t - 1)));
  return [Math.round(r * 255), Math.round(g * 255), Math.round(b * 255)];
}

/**
 * PNG of the heat map blended over the grey patch. `grey` is size×size 8-bit (the patch the model saw,
 * or any patch of the same size); alpha is the weight of the heat colours.
 */
export async function camOverlayPng(grey: Uint8Array, size: number, cam: Float32Array, alpha = 0.45): Promise<Buffer> {
  if (grey.length !== size * size || cam.length !== size * size) throw new Error('camOverlayPng: patch and map must both be size×size');
  const rgb = Buffer.alloc(size * size * 3);
  for (let i = 0; i < size * size; i++) {
    const [r, g, b] = jet(cam[i]);
    const v = grey[i];
    rgb[i * 3] = Math.round((1 - alpha) * v + alpha * r);
    rgb[i * 3 + 1] = Math.round((1 - alpha) * v + alpha * g);
    rgb[i * 3 + 2] = Math.round((1 - alpha) * v + alpha * b);
  }
  return sharp(rgb, { raw: { width: size, height: size, channels: 3 } }).png().toBuffer();
}

import * as tf from '@tensorflow/tfjs';
import type { BackendInfo, BackendName, BackendPreference, GpuAdapter } from '../api/methods/system.js';
import { phrase, type Phrase } from '../api/phrase.js';
import { BackendRefusal, backendReason } from './backend-reasons.js';
import { FailedError } from '../runtime/failure.js';

/**
 * How each backend is brought up. Injected so tests can simulate a machine where a module is absent
 * (tfjs-node-gpu is an optional dependency that fails to install without internet).
 */
export interface BackendLoaders {
  /** Imports @tensorflow/tfjs-node-gpu; resolves to whether TensorFlow found a CUDA device. */
  tensorflowGpu(): Promise<{ gpu: boolean; detail: string; detailPhrase?: Phrase }>;
  /**
   * Opens a WebGPU device (Dawn) and registers tfjs's `webgpu` backend on it. `askedByName`: WebGPU was chosen
   * explicitly, so a software adapter (llvmpipe, SwiftShader…) is accepted; otherwise it throws saying why.
   */
  webgpu(askedByName: boolean): Promise<{ detail: string; adapter: GpuAdapter }>;
  /** Imports @tensorflow/tfjs-node (CPU build of native TensorFlow). */
  tensorflowCpu(): Promise<{ detail: string; detailPhrase?: Phrase }>;
  wasm(): Promise<{ detail: string; detailPhrase?: Phrase }>;
  cpu(): Promise<{ detail: string; detailPhrase?: Phrase }>;
  /** Makes the named tfjs backend current. */
  activate(tfjsBackend: string): Promise<void>;
}

/**
 * Fastest first. CUDA TensorFlow needs exactly CUDA 11.2 + cuDNN 8.1 (rare on a lab PC); WebGPU runs on any
 * GPU with a Vulkan/D3D12/Metal driver but only a hardware adapter is taken automatically; native TensorFlow
 * (optional package) then our wasm kernels use the CPU; pure-JS cpu is the last resort.
 */
export const BACKEND_ORDER: BackendName[] = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'];
const ORDER = BACKEND_ORDER;


/** Tries CUDA → WebGPU → native → wasm → cpu (or from the preferred one, falling back in the same order). */
export async function selectBackend(pref: BackendPreference, loaders: BackendLoaders = defaultLoaders): Promise<BackendInfo> {
  const start = pref === 'auto' ? 0 : ORDER.indexOf(pref);
  const skipped: BackendInfo['skipped'] = [];
  for (const name of ORDER.slice(start)) {
    try {
      let gpu = false;
      let detail: string;
      // the detail in the interface's language, where the loader words it (a WebGPU adapter's name is said by its own line)
      let detailPhrase: Phrase | undefined;
      let tfjsBackend: string;
      let adapter: GpuAdapter | null = null;
      if (name === 'tensorflow-gpu') {
        const r = await loaders.tensorflowGpu();
        if (!r.gpu) throw new BackendRefusal(phrase('backend.noCuda', { detail: r.detail }));
        gpu = true;
        detail = r.detail;
        detailPhrase = r.detailPhrase;
        tfjsBackend = 'tensorflow';
      } else if (name === 'webgpu') {
        const r = await loaders.webgpu(pref === 'webgpu');
        detail = r.detail;
        adapter = r.adapter;
        gpu = !r.adapter.software; // lavapipe runs on the CPU: it is WebGPU, not a GPU
        tfjsBackend = 'webgpu';
      } else if (name === 'tensorflow') {
        ({ detail, detailPhrase } = await loaders.tensorflowCpu());
        tfjsBackend = 'tensorflow';
      } else if (name === 'wasm') {
        ({ detail, detailPhrase } = await loaders.wasm());
        tfjsBackend = 'wasm';
      } else {
        ({ detail, detailPhrase } = await loaders.cpu());
        tfjsBackend = 'cpu';
      }
      await loaders.activate(tfjsBackend);
      return { name, tfjsBackend, gpu, tfjsVersion: tf.version.tfjs, detail, ...(detailPhrase ? { detailPhrase } : {}), skipped, adapter };
    } catch (err) {
      skipped.push({ name, ...backendReason(err) });
    }
  }
  // each backend's reason is quoted in English (the list is for a bug report); the frame is said in the user's language
  throw FailedError.said('unavailable', phrase('workerErrors.noBackend', { reasons: skipped.map((s) => `${s.name}: ${s.reason}`).join('; ') }));
}

// Module names in variables keep bundlers and tsc from resolving optional packages at build time.
const TFJS_NODE_GPU = '@tensorflow/tfjs-node-gpu';
const TFJS_NODE = '@tensorflow/tfjs-node';

type NodeBackend = { isUsingGpuDevice?: boolean };

export const defaultLoaders: BackendLoaders = {
  async tensorflowGpu() {
    await import(TFJS_NODE_GPU);
    await tf.setBackend('tensorflow');
    const b = tf.backend() as unknown as NodeBackend;
    const gpu = Boolean(b.isUsingGpuDevice);
    return { gpu, detail: `libtensorflow (CUDA) via ${TFJS_NODE_GPU}`, detailPhrase: phrase('backendDetail.tensorflowGpu', { package: TFJS_NODE_GPU }) };
  },
  async webgpu(askedByName) {
    const { startWebGpu } = await import('./webgpu-backend.js');
    return startWebGpu(askedByName);
  },
  async tensorflowCpu() {
    await import(TFJS_NODE);
    return { detail: `libtensorflow (CPU) via ${TFJS_NODE}`, detailPhrase: phrase('backendDetail.tensorflowCpu', { package: TFJS_NODE }) };
  },
  async wasm() {
    const { registerWasmTrainingKernels } = await import('./wasm-backend.js');
    const detail = await registerWasmTrainingKernels();
    return { detail, detailPhrase: phrase('backendDetail.wasm') };
  },
  async cpu() {
    return { detail: 'pure JavaScript (slow; for checks only)', detailPhrase: phrase('backendDetail.cpu') };
  },
  async activate(name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new BackendRefusal(phrase('backend.setBackend', { name }));
    await tf.ready();
  },
};

let current: Promise<BackendInfo> | null = null;
let currentPref: BackendPreference | null = null;

/** The process-wide backend, chosen once per preference (tfjs holds one global engine). */
export function ensureBackend(pref: BackendPreference = 'auto'): Promise<BackendInfo> {
  if (!current || currentPref !== pref) {
    currentPref = pref;
    current = selectBackend(pref).catch((err) => {
      current = null;
      throw err;
    });
  }
  return current;
}

/**
 * Frees what keeps the process alive or holds a device (Dawn's GPU object): called when the app context
 * closes. A later ensureBackend starts afresh.
 */
export async function releaseBackend(): Promise<void> {
  const info = current ? await current.catch(() => null) : null;
  if (info?.name !== 'webgpu') return;
  const { releaseWebGpu } = await import('./webgpu-backend.js');
  releaseWebGpu();
  current = null;
  currentPref = null;
}

export { tf };

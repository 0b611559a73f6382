import * as tf from '@tensorflow/tfjs';
import type { BackendInfo, BackendName, BackendPreference } from '../api/methods/system.js';

/**
 * How each backend is brought up. Injected so tests can simulate a machine where a module is absent
 * (tfjs-node-gpu is an optional dependency that fails to install without internet).
 */
export interface BackendLoaders {
  /** Imports @tensorflow/tfjs-node-gpu; resolves to whether TensorFlow found a CUDA device. */
  tensorflowGpu(): Promise<{ gpu: boolean; detail: string }>;
  /** Imports @tensorflow/tfjs-node (CPU build of native TensorFlow). */
  tensorflowCpu(): Promise<{ detail: string }>;
  wasm(): Promise<{ detail: string }>;
  cpu(): Promise<{ detail: string }>;
  /** Makes the named tfjs backend current. */
  activate(tfjsBackend: string): Promise<void>;
}

const ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

function reasonOf(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/Cannot find (module|package)|ERR_MODULE_NOT_FOUND/.test(msg)) return 'not installed';
  return msg.split('\n')[0].slice(0, 300);
}

/** Tries GPU → native → wasm → cpu (or only the preferred one, falling back in the same order). */
export async function selectBackend(pref: BackendPreference, loaders: BackendLoaders = defaultLoaders): Promise<BackendInfo> {
  const start = pref === 'auto' ? 0 : ORDER.indexOf(pref);
  const skipped: BackendInfo['skipped'] = [];
  for (const name of ORDER.slice(start)) {
    try {
      let gpu = false;
      let detail: string;
      let tfjsBackend: string;
      if (name === 'tensorflow-gpu') {
        const r = await loaders.tensorflowGpu();
        if (!r.gpu) throw new Error(`tfjs-node-gpu loaded but TensorFlow sees no CUDA device (${r.detail})`);
        gpu = true;
        detail = r.detail;
        tfjsBackend = 'tensorflow';
      } else if (name === 'tensorflow') {
        detail = (await loaders.tensorflowCpu()).detail;
        tfjsBackend = 'tensorflow';
      } else if (name === 'wasm') {
        detail = (await loaders.wasm()).detail;
        tfjsBackend = 'wasm';
      } else {
        detail = (await loaders.cpu()).detail;
        tfjsBackend = 'cpu';
      }
      await loaders.activate(tfjsBackend);
      return { name, tfjsBackend, gpu, tfjsVersion: tf.version.tfjs, detail, skipped };
    } catch (err) {
      skipped.push({ name, reason: reasonOf(err) });
    }
  }
  throw new Error(`No ML backend could start: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
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
    return { gpu, detail: `libtensorflow (CUDA) via ${TFJS_NODE_GPU}` };
  },
  async tensorflowCpu() {
    await import(TFJS_NODE);
    return { detail: `libtensorflow (CPU) via ${TFJS_NODE}` };
  },
  async wasm() {
    const { registerWasmTrainingKernels } = await import('./wasm-backend.js');
    const detail = await registerWasmTrainingKernels();
    return { detail };
  },
  async cpu() {
    return { detail: 'pure JavaScript (slow; for checks only)' };
  },
  async activate(name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`tf.setBackend('${name}') failed`);
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

export { tf };

import * as tf from '@tensorflow/tfjs';
import type { GpuAdapter } from '../api/methods/system.js';
import { adapterRefusalPhrase, describeAdapter, type RawAdapterInfo } from './webgpu-adapter.js';
import { BackendRefusal } from './backend-reasons.js';
import { phrase, type Phrase } from '../api/phrase.js';
import { adapterName } from '../api/gpu-adapter-name.js';
import { FailedError } from '../runtime/failure.js';

/**
 * WebGPU for tfjs in Node: Dawn (npm `webgpu`) gives a navigator.gpu, tfjs-backend-webgpu runs the kernels
 * on it. Vulkan on Linux, D3D12 on Windows, Metal on macOS: any GPU with a current driver, no CUDA.
 *
 * Where it runs: in whichever thread calls it. The training job's worker thread and the inference workers
 * each open their own device (Dawn works in worker_threads), so the main thread's event loop — the UI's
 * server and IPC — is never blocked by a GPU readback. The inference pool runs one worker on webgpu (the GPU
 * is the parallelism; N devices on one GPU only split its memory), see parallel-inference.ts.
 *
 * Dawn writes two warnings to the process's native stderr when it opens an adapter ("maxDynamic…Buffers…
 * artificially reduced …"). They come from C++ (fprintf), not from console.warn, so they cannot be silenced
 * from JavaScript; stdout — what the CLI prints — stays clean.
 *
 * Failures: the device's `lost` promise and its uncaptured errors (validation, out-of-memory, internal/shader)
 * are recorded here; `throwIfGpuFailed()` turns them into one clear error with the fallback to use. tfjs
 * itself never checks them: a failed submit reads back as zeros, which is the worst kind of wrong number.
 */

/** The part of Dawn's module we use (typed loosely: @webgpu/types is not a dependency). */
interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}
export interface GpuLike {
  requestAdapter(opts?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<AdapterLike | null>;
}
interface AdapterLike {
  info?: RawAdapterInfo;
  isFallbackAdapter?: boolean;
  features: { has(name: string): boolean };
  limits: Record<string, number>;
  requestDevice(desc: { requiredFeatures?: string[]; requiredLimits?: Record<string, number> }): Promise<DeviceLike>;
}
export interface DeviceLike {
  limits: Record<string, number>;
  lost: Promise<{ reason?: string; message?: string }>;
  addEventListener(type: 'uncapturederror', fn: (ev: { error?: { message?: string; constructor?: { name?: string } } }) => void): void;
  destroy(): void;
}

/** The fallback each GPU failure names (its sentences in core/api/i18n/<lang>/phrases.json workerErrors.gpu.* say it too). */
export const FALLBACK_HINT = 'run with --backend wasm (Settings → ML backend → WebAssembly)';

/** What went wrong on the GPU since the work began, as the sentence that says it (first error wins: later ones follow from it). */
let failure: Phrase | null = null;
/** A lost device stays lost: every later piece of work must fail until the app restarts. */
let lost = false;
let device: DeviceLike | null = null;
let adapter: GpuAdapter | null = null;

/** Dawn's text, its first line: quoted as Dawn wrote it (English) inside the sentence of the user's language. */
const firstLine = (message: string) => message.split('\n')[0].slice(0, 300);

function classify(kind: string | undefined, message: string): Phrase {
  const detail = firstLine(message);
  if (kind === 'lost') return phrase('workerErrors.gpu.lost', { detail });
  if (kind === 'GPUOutOfMemoryError' || /out of memory|OOM/i.test(message)) return phrase('workerErrors.gpu.outOfMemory', { detail });
  if (kind === 'GPUValidationError') return phrase('workerErrors.gpu.refused', { detail });
  if (kind === 'GPUInternalError' || /shader|WGSL|pipeline/i.test(message)) return phrase('workerErrors.gpu.shader', { detail });
  return phrase('workerErrors.gpu.other', { detail });
}

/**
 * Records a device failure (exported for tests, which cannot lose a real device on demand): `kind` is the error's
 * class name or 'lost', `message` Dawn's text (for a lost device, its reason).
 */
export function recordGpuFailure(kind: string | undefined, message: string): void {
  if (kind === 'lost') lost = true;
  failure ??= classify(kind, message);
}

/** Forgets a recorded failure (tests; a new device). */
export function clearGpuFailure(): void {
  failure = null;
  lost = false;
}

/**
 * Starts a piece of work (a training run, a prediction, a Grad-CAM): forgets an earlier job's validation or
 * out-of-memory error, which was already reported to that job, but never a lost device.
 */
export function beginGpuWork(): void {
  if (!lost) failure = null;
}

/**
 * Throws if the GPU failed since the backend started: called after every readback of work that ran on
 * webgpu (predictions, training steps, Grad-CAM), so a dropped command never becomes a number.
 */
export function throwIfGpuFailed(): void {
  // 'unavailable': the GPU cannot do this work now; the sentence names the fallback (issue 15: a job's error.phrase)
  if (failure) throw FailedError.said('unavailable', failure);
}

/** The adapter of the running webgpu backend in this thread, or null. */
export function activeAdapter(): GpuAdapter | null {
  return tf.getBackend() === 'webgpu' ? adapter : null;
}

/** The largest storage buffer one shader may bind on the running device (Infinity off webgpu). */
export function maxBindingBytes(): number {
  return tf.getBackend() === 'webgpu' && device ? device.limits.maxStorageBufferBindingSize : Number.POSITIVE_INFINITY;
}

let dawn: { gpu: GpuLike } | null = null;

/** Removes any `webgpu` factory (the package's own, or our previous device) so ours is the one tfjs uses. */
function dropRegisteredWebGpu(): void {
  try {
    tf.removeBackend('webgpu');
  } catch {
    // none registered
  }
}

/** Dawn's GPUAdapterInfo has its fields as prototype getters: copy them out (spreading gives nothing). */
function infoOf(a: AdapterLike): RawAdapterInfo {
  const i = a.info;
  return {
    vendor: i?.vendor,
    architecture: i?.architecture,
    device: i?.device,
    description: i?.description,
    isFallbackAdapter: i?.isFallbackAdapter ?? a.isFallbackAdapter,
  };
}

/**
 * Reads a tensor back from the GPU; a GPU failure (recorded, or the readback itself failing) becomes one
 * clear error with the fallback. Off webgpu it is tensor.data().
 */
export async function readBack(t: tf.Tensor): Promise<Float32Array> {
  let values: Float32Array;
  try {
    values = (await t.data()) as Float32Array;
  } catch (err) {
    if (tf.getBackend() !== 'webgpu') throw err;
    throwIfGpuFailed();
    const msg = err instanceof Error && err.message ? err.message : String(err) || 'no message';
    throw FailedError.said('unavailable', phrase('workerErrors.gpu.readBack', { detail: msg.split('\n')[0].slice(0, 200) }));
  }
  throwIfGpuFailed();
  return values;
}

async function gpu(): Promise<GpuLike> {
  if (dawn) return dawn.gpu;
  const mod = (await import('webgpu')) as unknown as DawnModule;
  // GPUBufferUsage, GPUMapMode … are globals in a browser; tfjs-backend-webgpu reads them from globalThis.
  Object.assign(globalThis, mod.globals);
  dawn = { gpu: mod.create([]) };
  // tfjs-backend-webgpu checks navigator.gpu when its backend is constructed. Node 20 has no navigator;
  // Node ≥ 21 has one without gpu.
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: { gpu: dawn.gpu }, configurable: true, writable: true });
  else Object.defineProperty(g.navigator, 'gpu', { value: dawn.gpu, configurable: true, writable: true });
  return dawn.gpu;
}

/**
 * Lets the process exit: while anything holds Dawn's GPU object, Node keeps running (dawn.node keeps a
 * handle open; https://issues.chromium.org/issues/387965810). Called when the app context closes. The
 * backend is removed from tfjs, so a later ensureBackend starts a fresh device.
 */
export function releaseWebGpu(): void {
  if (!dawn) return;
  const d = device;
  device = null;
  adapter = null;
  dropRegisteredWebGpu();
  d?.destroy();
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator && g.navigator.gpu === dawn.gpu) delete g.navigator.gpu;
  dawn = null;
}

/** The adapter Dawn offers (high-performance preference), described; null when there is none. */
export async function probeAdapter(): Promise<GpuAdapter | null> {
  const a = await (await gpu()).requestAdapter({ powerPreference: 'high-performance' });
  if (!a) return null;
  return describeAdapter(infoOf(a), a.limits.maxStorageBufferBindingSize);
}

/**
 * Opens a device and registers it as tfjs's `webgpu` backend (not yet activated). `askedByName`: WebGPU was
 * chosen explicitly, so a software adapter is accepted. Throws a sentence naming the reason otherwise.
 * `provider` gives navigator.gpu (Dawn's; tests pass a fake adapter to check the classification).
 */
export async function startWebGpu(askedByName: boolean, provider: () => Promise<GpuLike> = gpu): Promise<{ detail: string; adapter: GpuAdapter }> {
  const g = await provider();
  const a = await g.requestAdapter({ powerPreference: 'high-performance' });
  if (!a) throw new BackendRefusal(phrase('backend.noAdapter'));
  const described = describeAdapter(infoOf(a), a.limits.maxStorageBufferBindingSize);
  const refusal = adapterRefusalPhrase(described, askedByName);
  if (refusal) throw new BackendRefusal(refusal);
  // The tfjs package registers its own factory only if navigator.gpu existed when it was imported; we
  // register ours (same kernels, keyed by the backend name) so we own the device and its error events.
  const { WebGPUBackend } = (await import('@tensorflow/tfjs-backend-webgpu')) as unknown as {
    WebGPUBackend: new (device: unknown, info?: unknown) => tf.KernelBackend;
  };
  const required = ['timestamp-query'].filter((f) => a.features.has(f));
  const l = a.limits;
  const dev = await a.requestDevice({
    requiredFeatures: required,
    requiredLimits: {
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
  });
  failure = null;
  lost = false;
  dev.addEventListener('uncapturederror', (ev) => recordGpuFailure(ev.error?.constructor?.name, ev.error?.message ?? 'unknown'));
  void dev.lost.then((info) => {
    // We never destroy our device, so even reason "destroyed" means someone or something took it away.
    if (device === dev) recordGpuFailure('lost', info.message || info.reason || 'no reason given');
  });
  dropRegisteredWebGpu();
  const backend = new WebGPUBackend(dev, a.info);
  tf.registerBackend('webgpu', () => backend, 3);
  // tfjs's filter gradient leaves a GPU nearly idle on the first convolutions (kernels/webgpu-filter-grad.ts).
  const { registerWebGpuFilterGrad } = await import('./kernels/webgpu-filter-grad.js');
  registerWebGpuFilterGrad();
  device = dev;
  adapter = described;
  return { detail: `WebGPU (Dawn) on ${adapterName(described) || [described.vendor, described.architecture].filter(Boolean).join(' ')}`, adapter: described };
}

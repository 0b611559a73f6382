import type { GpuAdapter } from '../api/methods/system.js';
import { phrase, type Phrase } from '../api/phrase.js';
import { adapterIdentity } from '../api/gpu-adapter-name.js';
import { english } from '../runtime/english.js';

/**
 * What a WebGPU adapter says about itself, as read from GPUAdapter.info (plus the older
 * isFallbackAdapter flag on the adapter). Plain data so the classification can be tested with a fake.
 */
export interface RawAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/**
 * Drivers that emulate a GPU on the CPU. They compute correctly but more slowly than our wasm kernels on
 * the same cores, so a lab PC without a real GPU must not pick them on its own: llvmpipe/lavapipe and
 * softpipe (Mesa), SwiftShader (Google), WARP / "Microsoft Basic Render Driver" (Windows).
 */
const SOFTWARE_NAMES = /llvmpipe|lavapipe|softpipe|swiftshader|\bwarp\b|basic render|software rasterizer/i;

/** True for a CPU emulation of a GPU: a fallback adapter, architecture "software" or a known software driver. */
export function isSoftwareAdapter(info: RawAdapterInfo): boolean {
  if (info.isFallbackAdapter) return true;
  if ((info.architecture ?? '').toLowerCase() === 'software') return true;
  return [info.vendor, info.architecture, info.device, info.description].some((s) => SOFTWARE_NAMES.test(s ?? ''));
}

export function describeAdapter(info: RawAdapterInfo, maxStorageBufferBindingSize?: number): GpuAdapter {
  return {
    vendor: info.vendor || 'unknown vendor',
    // Dawn leaves it empty for some drivers (NVIDIA's Vulkan one, 580.x): then it is left out of the words.
    architecture: info.architecture || '',
    // NVIDIA's Vulkan driver describes only itself ("NVIDIA: 580.159.04"): the GPU is named by `device`.
    description: info.description || '',
    ...(info.device ? { device: info.device } : {}),
    software: isSoftwareAdapter(info),
    ...(maxStorageBufferBindingSize ? { maxStorageBufferBindingSize } : {}),
  };
}

/**
 * One line for `ferrolab info`, logs and the bench: "nvidia — nvidia-h200 — NVIDIA: 580.159.04", "mesa software —
 * llvmpipe-llvm-15-0-6-256-bits — llvmpipe: Mesa 25 … (software emulation on the CPU)".
 */
export function adapterWords(a: GpuAdapter): string {
  return `${adapterIdentity(a)}${a.software ? ' (software emulation on the CPU)' : ''}`;
}

/**
 * Whether the backend chain may use this adapter. A software adapter only when WebGPU was asked for by name
 * (`--backend webgpu`, the Settings choice, tests); otherwise a sentence saying why it was passed over.
 */
export function adapterRefusal(a: GpuAdapter, askedByName: boolean): string | null {
  const p = adapterRefusalPhrase(a, askedByName);
  return p && english(p);
}

/** The same refusal as a phrase (Settings and About word it in the interface language). */
export function adapterRefusalPhrase(a: GpuAdapter, askedByName: boolean): Phrase | null {
  if (!a.software || askedByName) return null;
  return phrase('backend.softwareOnly', { adapter: adapterWords(a) });
}

import { describe, expect, it } from 'vitest';
import { adapterRefusal, adapterWords, describeAdapter, isSoftwareAdapter } from '../../../core/ml/webgpu-adapter.js';
import { beginGpuWork, clearGpuFailure, recordGpuFailure, startWebGpu, throwIfGpuFailed, type GpuLike } from '../../../core/ml/webgpu-backend.js';
import { selectBackend } from '../../../core/ml/backend.js';
import { GpuAdapter } from '../../../core/api/methods/system.js';
import { adapterName } from '../../../core/api/gpu-adapter-name.js';

const LLVMPIPE = { vendor: 'mesa', architecture: 'software', description: 'llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)', isFallbackAdapter: true };
const HARDWARE = [
  { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA RTX A2000 12GB' },
  { vendor: 'intel', architecture: 'gen-12lp', description: 'Intel(R) UHD Graphics 770' },
  { vendor: 'amd', architecture: 'rdna-2', description: 'AMD Radeon RX 6600' },
  { vendor: 'apple', architecture: 'metal-3', description: 'Apple M2' },
];

/** A navigator.gpu whose one adapter says `info`; requestDevice records that it was reached, then stops. */
function fakeGpu(info: Record<string, unknown>): { gpu: () => Promise<GpuLike>; devices: number } {
  const state = { devices: 0, gpu: async (): Promise<GpuLike> => ({ requestAdapter: async () => adapter }) };
  const adapter = {
    info,
    features: { has: () => false },
    limits: { maxStorageBufferBindingSize: 134217728 },
    requestDevice: async () => {
      state.devices++;
      throw new Error('fake adapter: no device');
    },
  };
  return state;
}

describe('WebGPU adapter classification', () => {
  it('calls CPU emulations software, whichever way the driver says it', () => {
    expect(isSoftwareAdapter(LLVMPIPE)).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'mesa', architecture: '', description: 'lavapipe' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'google', architecture: '', description: 'SwiftShader Device (Subzero)' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'microsoft', architecture: '', description: 'Microsoft Basic Render Driver' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'x', architecture: 'software', description: 'whatever' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'x', architecture: 'y', description: 'z', isFallbackAdapter: true })).toBe(true);
    for (const h of HARDWARE) expect(isSoftwareAdapter(h), h.description).toBe(false);
  });

  it('words an adapter without the architecture its driver leaves empty (NVIDIA Vulkan under Dawn, seen on an H200)', () => {
    expect(adapterWords(describeAdapter({ vendor: 'nvidia', architecture: '', description: 'NVIDIA: 580.159.04 580.159.4.0' }))).toBe('nvidia — NVIDIA: 580.159.04 580.159.4.0');
    expect(adapterWords(describeAdapter(HARDWARE[0]))).toBe('nvidia ampere — NVIDIA RTX A2000 12GB');
    expect(adapterWords(describeAdapter(LLVMPIPE))).toBe('mesa software — llvmpipe: Mesa 25.0.7 (LLVM 15.0.6) (software emulation on the CPU)');
  });

  it('names the GPU by Dawn\'s device where the description names only the driver, and says a name once', () => {
    // as Dawn reported them: NVIDIA's Vulkan driver on an H200 (its GPU named only by `device`), lavapipe here
    const h200 = describeAdapter({ vendor: 'nvidia', architecture: '', device: 'nvidia-h200', description: 'NVIDIA: 580.159.04' });
    expect(h200.device).toBe('nvidia-h200');
    expect(adapterWords(h200)).toBe('nvidia — nvidia-h200 — NVIDIA: 580.159.04');
    const lavapipe = describeAdapter({ vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1', isFallbackAdapter: false });
    expect(lavapipe.software).toBe(true);
    expect(adapterWords(lavapipe)).toBe('mesa software — llvmpipe-llvm-15-0-6-256-bits — llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1 (software emulation on the CPU)');
    expect(adapterRefusal(lavapipe, false)).toContain('llvmpipe-llvm-15-0-6-256-bits — llvmpipe: Mesa 25.0.7');
    // a description that says the device's name, or the device that says all of the description: one of them
    const intel = describeAdapter({ vendor: 'intel', architecture: 'gen-12lp', device: 'intel-r-uhd-graphics-770', description: 'Intel(R) UHD Graphics 770' });
    expect(adapterWords(intel)).toBe('intel gen-12lp — Intel(R) UHD Graphics 770');
    expect(adapterName({ device: 'nvidia-rtx-a2000-12gb', description: 'NVIDIA RTX A2000' })).toBe('nvidia-rtx-a2000-12gb');
    // whole words only: "a2000" is not said by "A20001"
    expect(adapterName({ device: 'a2000', description: 'GPU A20001' })).toBe('a2000 — GPU A20001');
    // no description: the device alone; neither: the vendor alone
    expect(adapterWords(describeAdapter({ vendor: 'amd', architecture: 'rdna-2', device: 'amd-radeon-rx-6600', description: '' }))).toBe('amd rdna-2 — amd-radeon-rx-6600');
    expect(adapterWords(describeAdapter({ vendor: 'amd', architecture: '', device: '', description: '' }))).toBe('amd');
    // the name alone, as the backend's detail, the Train view and `ferrolab segregation predict` say it
    expect(adapterName(h200)).toBe('nvidia-h200 — NVIDIA: 580.159.04');
  });

  it('odd names: a blank device is no name, a device that is the description is said once (non-ASCII names have no slug)', () => {
    // before: a whitespace-only device printed as '   — NVIDIA: 580.159.04'
    expect(adapterName({ device: '   ', description: 'NVIDIA: 580.159.04' })).toBe('NVIDIA: 580.159.04');
    expect(adapterName({ device: ' \t', description: '  ' })).toBe('');
    expect(adapterName({ device: '  nvidia-h200-  ', description: 'NVIDIA: 580.159.04' })).toBe('nvidia-h200 — NVIDIA: 580.159.04');
    // before: 'グラフィックス — グラフィックス' (no ASCII letter or digit: both slugs empty, so neither 'said' the other)
    expect(adapterName({ device: 'グラフィックス', description: 'グラフィックス' })).toBe('グラフィックス');
    expect(adapterName({ device: 'グラフィックス ', description: ' グラフィックス' })).toBe('グラフィックス');
    // two different names with no ASCII slug are both said
    expect(adapterName({ device: 'グラフィックス', description: '显卡' })).toBe('グラフィックス — 显卡');
  });

  it('reads an adapter stored before `device` was carried (the contract keeps it optional)', () => {
    const old = GpuAdapter.parse({ vendor: 'nvidia', architecture: '', description: 'NVIDIA: 580.159.04', software: false });
    expect(old.device).toBeUndefined();
    expect(adapterWords(old)).toBe('nvidia — NVIDIA: 580.159.04');
    expect(GpuAdapter.parse(describeAdapter({ vendor: 'nvidia', architecture: '', device: 'nvidia-h200', description: 'NVIDIA: 580.159.04' }, 4294967292))).toEqual({
      vendor: 'nvidia',
      architecture: '',
      description: 'NVIDIA: 580.159.04',
      device: 'nvidia-h200',
      software: false,
      maxStorageBufferBindingSize: 4294967292,
    });
  });

  it('refuses a software adapter unless WebGPU was asked for by name, and says how to ask', () => {
    const soft = describeAdapter(LLVMPIPE);
    expect(adapterRefusal(soft, false)).toMatch(/software adapter \(mesa software — llvmpipe.*never chosen automatically — use --backend webgpu/);
    expect(adapterRefusal(soft, true)).toBeNull();
    expect(adapterRefusal(describeAdapter(HARDWARE[0]), false)).toBeNull();
  });

  it('startWebGpu stops at a software adapter before opening a device when not asked by name', async () => {
    const f = fakeGpu(LLVMPIPE);
    await expect(startWebGpu(false, f.gpu)).rejects.toThrow(/never chosen automatically/);
    expect(f.devices).toBe(0);
    await expect(startWebGpu(true, f.gpu)).rejects.toThrow(/fake adapter: no device/);
    expect(f.devices).toBe(1);
  });

  it('startWebGpu goes on to open a device on a hardware adapter automatically', async () => {
    const f = fakeGpu(HARDWARE[1]);
    await expect(startWebGpu(false, f.gpu)).rejects.toThrow(/fake adapter: no device/);
    expect(f.devices).toBe(1);
  });

  it('on this machine: auto never lands on a software adapter, and says why it passed it over', async () => {
    const { probeAdapter } = await import('../../../core/ml/webgpu-backend.js');
    const found = await probeAdapter();
    if (!found) throw new Error('no WebGPU adapter: install Mesa 25 (apt-get install -t bookworm-backports mesa-vulkan-drivers), see .ci/run');
    // Dawn names every adapter's device (lavapipe in CI: "llvmpipe-llvm-15-0-6-256-bits-"), and it is carried and worded
    const device = (found.device ?? '').replace(/^-+|-+$/g, '');
    expect(device).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(adapterWords(found)).toContain(adapterName(found));
    const info = await selectBackend('auto');
    if (found.software) {
      expect(info.name).not.toBe('webgpu');
      const skip = info.skipped.find((s) => s.name === 'webgpu');
      expect(skip?.reason).toMatch(/only a software adapter .*never chosen automatically/);
      expect(skip?.reason).toContain(found.description);
      expect(skip?.reason).toContain(device); // lavapipe's description does not say its device
    } else {
      expect(info.name === 'tensorflow-gpu' || info.name === 'webgpu').toBe(true);
    }
  });

  it('GPU errors become one clear error with the fallback; a new job forgets an old error, never a lost device', () => {
    clearGpuFailure();
    expect(() => throwIfGpuFailed()).not.toThrow();
    recordGpuFailure('GPUOutOfMemoryError', 'Out of memory while allocating a buffer\n - While calling CreateBuffer');
    recordGpuFailure('GPUValidationError', 'a later consequence');
    expect(() => throwIfGpuFailed()).toThrow(/^WebGPU: the GPU ran out of memory \(Out of memory while allocating a buffer\); the result was discarded — run with --backend wasm/);
    beginGpuWork();
    expect(() => throwIfGpuFailed()).not.toThrow();
    recordGpuFailure('GPUInternalError', 'WGSL compilation failed');
    expect(() => throwIfGpuFailed()).toThrow(/failed to run a shader \(WGSL compilation failed\).*--backend wasm/);
    beginGpuWork();
    recordGpuFailure('lost', 'driver reset');
    beginGpuWork();
    expect(() => throwIfGpuFailed()).toThrow(/device was lost \(driver reset\); restart Ferrolab.*--backend wasm/);
    clearGpuFailure();
  });
});

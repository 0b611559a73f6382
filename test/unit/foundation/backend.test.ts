import { describe, expect, it } from 'vitest';
import { defaultLoaders, selectBackend, type BackendLoaders } from '../../../core/ml/backend.js';
import { reportPhraser } from '../../../core/report/report-i18n.js';

const missing = (name: string) => async () => {
  const e = new Error(`Cannot find package '${name}' imported from core/ml/backend.js`) as Error & { code: string };
  e.code = 'ERR_MODULE_NOT_FOUND';
  throw e;
};

function loaders(over: Partial<BackendLoaders>): BackendLoaders & { activated: string[] } {
  const activated: string[] = [];
  return {
    activated,
    tensorflowGpu: missing('@tensorflow/tfjs-node-gpu'),
    webgpu: async () => {
      throw new Error('no WebGPU adapter');
    },
    tensorflowCpu: missing('@tensorflow/tfjs-node'),
    wasm: async () => ({ detail: 'wasm ok' }),
    cpu: async () => ({ detail: 'cpu ok' }),
    activate: async (b) => {
      activated.push(b);
    },
    ...over,
  };
}

describe('ML backend chain', () => {
  it('falls back to wasm when the native modules are absent, and says why', async () => {
    const l = loaders({});
    const info = await selectBackend('auto', l);
    expect(info.name).toBe('wasm');
    expect(info.tfjsBackend).toBe('wasm');
    expect(info.gpu).toBe(false);
    // each reason in English and as a phrase (Settings and About word it): a library's own error is quoted
    const notInstalled = { code: 'backend.notInstalled', params: {} };
    expect(info.skipped).toEqual([
      { name: 'tensorflow-gpu', reason: 'not installed', reasonPhrase: notInstalled },
      { name: 'webgpu', reason: 'no WebGPU adapter', reasonPhrase: { code: 'backend.failed', params: { detail: 'no WebGPU adapter' } } },
      { name: 'tensorflow', reason: 'not installed', reasonPhrase: notInstalled },
    ]);
    expect(l.activated).toEqual(['wasm']);
  });

  it('uses the GPU build when it loads and sees a CUDA device', async () => {
    const info = await selectBackend('auto', loaders({ tensorflowGpu: async () => ({ gpu: true, detail: 'cuda' }) }));
    expect(info).toMatchObject({ name: 'tensorflow-gpu', gpu: true, tfjsBackend: 'tensorflow', skipped: [] });
  });

  it('skips the GPU build when TensorFlow sees no CUDA device, then takes native CPU', async () => {
    const info = await selectBackend(
      'auto',
      loaders({ tensorflowGpu: async () => ({ gpu: false, detail: 'no device' }), tensorflowCpu: async () => ({ detail: 'native' }) }),
    );
    expect(info.name).toBe('tensorflow');
    expect(info.skipped[0].name).toBe('tensorflow-gpu');
    expect(info.skipped[0].reason).toMatch(/no CUDA device/);
  });

  it('falls back to cpu when wasm fails to start', async () => {
    const info = await selectBackend('auto', loaders({ wasm: async () => { throw new Error('wasm binary missing'); } }));
    expect(info.name).toBe('cpu');
    expect(info.skipped.map((s) => s.name)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm']);
    expect(info.skipped[3].reason).toBe('wasm binary missing');
  });

  it('honours a preference and only falls back downwards', async () => {
    const l = loaders({ tensorflowCpu: async () => ({ detail: 'native' }) });
    expect((await selectBackend('wasm', l)).name).toBe('wasm');
    expect((await selectBackend('cpu', l)).name).toBe('cpu');
    expect((await selectBackend('tensorflow-gpu', l)).name).toBe('tensorflow');
  });

  it('takes WebGPU after CUDA, with its adapter, and tells the loader whether it was asked for by name', async () => {
    const asked: boolean[] = [];
    const adapter = { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA RTX A2000', software: false };
    const l = loaders({
      webgpu: async (byName) => {
        asked.push(byName);
        return { detail: 'WebGPU (Dawn) on nvidia', adapter };
      },
      tensorflowCpu: async () => ({ detail: 'native' }),
    });
    const auto = await selectBackend('auto', l);
    expect(auto).toMatchObject({ name: 'webgpu', tfjsBackend: 'webgpu', gpu: true, adapter });
    // the reason in English (CLI, logs) and as a phrase Settings and About word in the interface language
    expect(auto.skipped).toEqual([{ name: 'tensorflow-gpu', reason: 'not installed', reasonPhrase: { code: 'backend.notInstalled', params: {} } }]);
    expect((await selectBackend('webgpu', l)).name).toBe('webgpu');
    expect(asked).toEqual([false, true]);
    expect(l.activated).toEqual(['webgpu', 'webgpu']);
  });

  it('reports when nothing can start', async () => {
    const fail = async () => {
      throw new Error('broken');
    };
    await expect(selectBackend('auto', loaders({ wasm: fail, cpu: fail }))).rejects.toThrow(/No ML backend could start: .*wasm: broken; cpu: broken/);
  });

  it('really starts the wasm backend on this machine', async () => {
    const info = await selectBackend('wasm');
    expect(info.name).toBe('wasm');
    const tf = await import('@tensorflow/tfjs');
    expect(tf.getBackend()).toBe('wasm');
    expect(Array.from(tf.tensor1d([1, 2, 3]).mul(2).dataSync())).toEqual([2, 4, 6]);
  });

  it('says what the backend is as a phrase too (Settings and About word it in Italian and Chinese), its English the detail', async () => {
    const wasm = await selectBackend('wasm');
    expect(wasm.detailPhrase).toEqual({ code: 'backendDetail.wasm', params: {} });
    expect(reportPhraser('en')(wasm.detailPhrase!)).toBe(wasm.detail);
    expect(reportPhraser('it')(wasm.detailPhrase!)).toBe('WebAssembly SIMD, un solo thread; kernel di Ferrolab per i gradienti delle convoluzioni');
    const cpu = await defaultLoaders.cpu();
    expect(cpu.detailPhrase).toEqual({ code: 'backendDetail.cpu', params: {} });
    expect(reportPhraser('en')(cpu.detailPhrase!)).toBe(cpu.detail);
    expect(reportPhraser('zh')(cpu.detailPhrase!)).toBe('纯 JavaScript（较慢；仅用于检查）');
    // a loader that gives no phrase (a test's): the English detail alone, as stored before
    const native = await selectBackend('tensorflow', loaders({ tensorflowCpu: async () => ({ detail: 'native' }) }));
    expect(native.detail).toBe('native');
    expect(native.detailPhrase).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { isolatedTestFiles, needsOwnModules } from '../../isolated-files.js';

/**
 * The rule that decides which test files run isolated (test/isolated-files.ts, vitest.config.ts). The files named
 * below FAILED when they shared a process's modules with the files before them (measured 2026-12-02: a module mock
 * that never applied, a kernel registered by an earlier file, tensors left by earlier files counted, a backend
 * started by an earlier file's helper): the rule must keep isolating them.
 */
describe('test isolation: which files get a fresh module graph', () => {
  it('isolates the files that failed when sharing modules, from their own text', () => {
    const unit = isolatedTestFiles(process.cwd(), 'unit');
    for (const f of [
      'test/unit/cnn/map-cell-equals-point.test.ts', // vi.mock of a module another file had imported
      'test/unit/report/report-plant-figure.test.ts',
      'test/unit/ml/wasm-kernels.test.ts', // tfjs's kernel registry
      'test/unit/ml/wasm-exact-kernels.test.ts',
      'test/unit/ml/filter-grad-columns.test.ts',
      'test/unit/ml/filter-grad-taps.test.ts',
      'test/unit/ml/shared-tap-products.test.ts', // tf.memory() counts every file's tensors
      // by a helper it imports, which starts a backend with tf.setBackend (a later file's Grad-CAM then ran on WebGPU)
      'test/unit/ml/webgpu-paper.test.ts', // test/helpers/webgpu.ts
      'test/unit/ml/gradcam.test.ts', // test/unit/ml/setup-backends.ts
    ]) expect(unit).toContain(f);
    // and not the rest: most files share (the point of it); this file itself is isolated, its examples below read as mocks
    expect(unit).not.toContain('test/unit/foundation/strict-decimal.test.ts');
    expect(unit).toContain('test/unit/foundation/test-isolation.test.ts');
    expect(unit.length).toBeLessThan(60);
    // e2e files that point the experiments registry at a fixture through process.env
    const e2e = isolatedTestFiles(process.cwd(), 'e2e');
    for (const f of ['test/e2e/every-view.test.ts', 'test/e2e/experiments.test.ts', 'test/e2e/ui-races.test.ts']) expect(e2e).toContain(f);
    expect(e2e).not.toContain('test/e2e/i18n.test.ts');
  });

  it('reads mocks, environment, kernel registry and tensor counts from a source, and nothing else', () => {
    expect(needsOwnModules(`vi.mock('../../core/x.js', () => ({}));`)).toBe(true);
    expect(needsOwnModules(`const s = vi.spyOn(obj, 'f');`)).toBe(true);
    expect(needsOwnModules(`process.env.FERROLAB_X = '1';`)).toBe(true);
    expect(needsOwnModules(`process.env['FERROLAB_X'] = '1';`)).toBe(true);
    expect(needsOwnModules(`delete process.env.FERROLAB_X;`)).toBe(true);
    expect(needsOwnModules(`tf.registerKernel({ kernelName: 'Sum', backendName: 'wasm', kernelFunc });`)).toBe(true);
    expect(needsOwnModules(`await tf.setBackend('cpu');`)).toBe(true);
    expect(needsOwnModules(`expect(tf.memory().numTensors).toBe(0);`)).toBe(true);
    // reading the environment, comparing it, or a method that merely begins alike is no reason
    expect(needsOwnModules(`if (process.env.CI === '1') n = 2;`)).toBe(false);
    expect(needsOwnModules(`api['system.setBackendPreference']({ backend: 'wasm' })`)).toBe(false);
    expect(needsOwnModules(`const fn = vi.fn();`)).toBe(false);
  });
});

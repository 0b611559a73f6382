import { afterAll, afterEach, beforeAll } from 'vitest';
import { backendsForFile, type Backends } from '../unit/ml/setup-backends.js';
import { useWinograd } from '../../core/ml/kernels/conv2d-winograd.js';
import { useFmaGemm } from '../../core/ml/kernels/gemm-fma-simd.js';
import { useWinogradFilterGrad } from '../../core/ml/kernels/winograd-filter-grad.js';
import { useFilterBlocks } from '../../core/ml/kernels/conv2d-forward-blocks.js';

/**
 * Every switch a wasm kernel test may force, back where the file wants it: Winograd (inference and training forward)
 * as `winograd` says, the Winograd filter gradient and the filter blocks on, the FMA product left to the CPU.
 */
function resetRoutes(winograd: boolean): void {
  useWinograd(winograd);
  useWinogradFilterGrad(true);
  useFmaGemm(null);
  useFilterBlocks(true);
}

/**
 * A wasm kernel test file's set-up: Ferrolab's kernels registered and wasm selected before its tests, and every
 * route a test forces put back after each one, so a forcing never leaks into the next test (`alsoAfterEach` adds
 * what else the file changes, e.g. the worker cap). `winograd: false` keeps the Winograd route off for the whole
 * file (tests of the direct kernel) and turns it back on after it. Returns the backend switcher (wasm ⇄ cpu).
 */
export function useWasmWithRouteReset(options: { winograd?: boolean; alsoAfterEach?: () => void } = {}): Backends {
  const winograd = options.winograd ?? true;
  const be = backendsForFile('wasm');
  beforeAll(() => useWinograd(winograd));
  afterEach(() => {
    resetRoutes(winograd);
    options.alsoAfterEach?.();
  });
  if (!winograd) afterAll(() => useWinograd(true));
  return be;
}

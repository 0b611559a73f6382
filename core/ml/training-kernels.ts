/**
 * Which code made a model, stored with it (the model record's backend: `trainedBy`). A seeded training repeats bit for
 * bit on any PC for a given version of the training kernels, but a new version follows another float path and gives
 * another model for the same seed; with this a lab can tell why. Bump WASM_TRAINING_KERNELS whenever a wasm training
 * kernel changes its float results (models stored before the field existed: the direct kernels, version 1).
 */
export const WASM_TRAINING_KERNELS = 'wasm training kernels 3 (Winograd F(2×2,3×3) forward and dx, F(3×3,2×2) filter gradient, exact SIMD product)';

/** "Ferrolab <version>", with the wasm training kernels' version where the training ran on wasm. */
export function trainedBy(appVersion: string, tfjsBackend: string | undefined): string {
  return tfjsBackend === 'wasm' ? `Ferrolab ${appVersion}, ${WASM_TRAINING_KERNELS}` : `Ferrolab ${appVersion}`;
}

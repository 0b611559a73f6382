/**
 * Which code made a model, stored with it (the model record's backend: `trainedBy`). A seeded training repeats bit for
 * bit on any PC for a given version of the training kernels, but a new version follows another float path and gives
 * another model for the same seed; with this a lab can tell why. Bump WASM_TRAINING_KERNELS whenever a wasm training
 * kernel changes its float results (models stored before the field existed: the direct kernels, version 1).
 * Version 3: the F(3×3,2×2) filter gradient also on wide layers (Cin·Cout ≥ 128·128) from 4 tiles per image, the paper
 * model's 7×7 px layers at 224 px and its 8×8 and 4×4 px layers at 64 px, which version 2 left on the stock products
 * (the compact preset's float path is that of version 2).
 */
export const WASM_TRAINING_KERNELS = 'wasm training kernels 3 (Winograd F(2×2,3×3) forward and dx, F(3×3,2×2) filter gradient down to 7×7 px on wide layers, exact SIMD product)';

/** "Ferrolab <version>", with the wasm training kernels' version where the training ran on wasm. */
export function trainedBy(appVersion: string, tfjsBackend: string | undefined): string {
  return tfjsBackend === 'wasm' ? `Ferrolab ${appVersion}, ${WASM_TRAINING_KERNELS}` : `Ferrolab ${appVersion}`;
}

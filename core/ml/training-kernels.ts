/**
 * Which code made a model, stored with it (the model record's backend: `trainedBy`). A seeded training repeats bit for
 * bit on any PC for a given version of the training kernels, but a new version follows another float path and gives
 * another model for the same seed; with this a lab can tell why. Bump WASM_TRAINING_KERNELS whenever a wasm training
 * kernel changes its float results (models stored before the field existed: the direct kernels, version 1).
 * Version 3: the filter gradient by F(3×3,4×4) (4×4 tiles of dy) on every layer its route takes from 5×5 px on (the
 * route starts at 11×11 px, or 3×3 px on wide layers, Cin·Cout ≥ 128²), by F(3×3,2×2) on the wide layers of 3–4 px; the
 * 7×7 px layers' dx by Winograd (task 21-B; they had taken the tap products) with the rotated filter made in SIMD; the paper model's 7×7 px layers at 224 px and its 8×8 and 4×4 px layers at 64 px, which
 * version 2 left on the stock products, now take it too; the paper model's first layer (one channel → 32) sums its dW
 * in wasm SIMD (filter-grad-one-channel.ts). The compact preset's 32 px nets keep version 2's float path (no layer of
 * theirs takes either route); at 64 px its 16×16 px layers of 32 channels change.
 */
export const WASM_TRAINING_KERNELS = 'wasm training kernels 3 (Winograd F(2×2,3×3) forward and dx, F(3×3,4×4) and F(3×3,2×2) filter gradient, one-channel SIMD filter gradient, exact SIMD product)';

/** "Ferrolab <version>", with the wasm training kernels' version where the training ran on wasm. */
export function trainedBy(appVersion: string, tfjsBackend: string | undefined): string {
  return tfjsBackend === 'wasm' ? `Ferrolab ${appVersion}, ${WASM_TRAINING_KERNELS}` : `Ferrolab ${appVersion}`;
}

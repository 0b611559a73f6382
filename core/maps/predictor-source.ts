import type { PatchPredictor } from './predicted-map.js';
import type { MaskReason } from './types.js';
import type { IntervalCalibration } from '../ml/conformal.js';

/**
 * Where predicted maps get their model from. The CNN service (core/services/cnn) provides a source that
 * loads a trained model, extracts the billet's patches at any mm centre (with its quality gate) and returns
 * the TTA mean ± sd; the composition root hands it to the maps service. The maps domain only needs this
 * interface.
 */
export interface PatchPredictorSource {
  predictor: PatchPredictor;
  modelName: string;
  /** Which ML backend ran (e.g. "tensorflow", "wasm"). */
  backend: string;
  /** Patch centres closer than this to the rim are masked (half a patch keeps patches on the section). */
  rimMarginMm?: number;
  /** Side of the square the model sees around a centre, mm (pores are masked by their share of it); default 2 × rimMarginMm. */
  patchMm?: number;
  /**
   * The physical scale the model's patches were cut at on this section (stored with the map's params), with
   * the warning when the image was enlarged beyond the stated factor or the model's scale is unknown.
   */
  scale?: { label: string; warning: string | null; known: boolean; [k: string]: unknown };
  /** Predictor calls to keep in flight (one per worker of a pool); default 1. */
  concurrency?: number;
  /** Patches per call (default 64). */
  batchSize?: number;
  /** The model's interval calibration, stored with the predicted map (its uncertainty layer); null: none. */
  calibration?: IntervalCalibration | null;
  dispose?: () => Promise<void> | void;
}

export type PatchPredictorFactory = (req: { modelId: number; billetId: number }) => Promise<PatchPredictorSource>;

let override: PatchPredictorFactory | null = null;

/**
 * Replaces the CNN's predictor for every maps service in this process (tests with an analytic predictor);
 * null restores it. Returns the previous override.
 */
export function registerPatchPredictorFactory(f: PatchPredictorFactory | null): PatchPredictorFactory | null {
  const prev = override;
  override = f;
  return prev;
}

/** The test override when one is installed, else the given (composition root's) factory. */
export function effectivePredictorFactory(fromRoot: PatchPredictorFactory): PatchPredictorFactory {
  return override ?? fromRoot;
}

/**
 * The mask reason for a patch from the quality gate's findings (core/imaging quality flags), so every
 * predictor masks the same way: a patch that reaches past the rim is `outside`, a porosity finding is
 * `porosity`, any low-contrast/low-entropy flag is `lowContrast`, any other flag `quality`.
 */
export function maskFromQuality(q: { outsideFraction?: number; porosity?: boolean; flags?: readonly string[] }, maxOutsideFraction = 0.02): MaskReason | null {
  if ((q.outsideFraction ?? 0) > maxOutsideFraction) return 'outside';
  if (q.porosity || q.flags?.some((f) => f.includes('porosity'))) return 'porosity';
  if (q.flags?.some((f) => f.startsWith('low-'))) return 'lowContrast';
  if (q.flags?.length) return 'quality';
  return null;
}

import type { AppContext } from '../app/context.js';
import { ApiError } from '../api/errors.js';
import type { PatchPredictor } from './predicted-map.js';
import type { MaskReason } from './types.js';
import { log } from '../runtime/log.js';

/**
 * Where predicted maps get their model from. The CNN domain (core/segregation/cnn) provides a source
 * that loads a trained model, extracts the billet's patches at any mm centre (with its quality gate)
 * and returns the TTA mean ± sd; the maps domain only needs this interface.
 */
export interface PatchPredictorSource {
  predictor: PatchPredictor;
  modelName: string;
  /** Which ML backend ran (e.g. "tensorflow", "wasm"). */
  backend: string;
  /** Patch centres closer than this to the rim are masked (half a patch keeps patches on the section). */
  rimMarginMm?: number;
  /** Predictor calls to keep in flight (one per worker of a pool); default 1. */
  concurrency?: number;
  /** Patches per call (default 64). */
  batchSize?: number;
  dispose?: () => Promise<void> | void;
}

export type PatchPredictorFactory = (ctx: AppContext, req: { modelId: number; billetId: number }) => Promise<PatchPredictorSource>;

let registered: PatchPredictorFactory | null = null;

/** Installs the factory (the CNN domain at start-up; tests with an analytic predictor). Returns the previous one. */
export function registerPatchPredictorFactory(f: PatchPredictorFactory | null): PatchPredictorFactory | null {
  const prev = registered;
  registered = f;
  return prev;
}

/** Names under which core/segregation/cnn may export its factory. */
const CNN_EXPORTS = ['createMapPredictor', 'createPatchPredictor', 'mapPredictorFactory'] as const;

export async function loadPatchPredictor(ctx: AppContext, req: { modelId: number; billetId: number }): Promise<PatchPredictorSource> {
  let factory = registered;
  if (!factory) {
    try {
      // Loaded lazily so the maps domain builds and runs (measured maps, reports) without the CNN domain.
      const spec = '../segregation/cnn/index.js';
      const mod = (await import(spec)) as Record<string, unknown>;
      const name = CNN_EXPORTS.find((n) => typeof mod[n] === 'function');
      if (name) factory = mod[name] as PatchPredictorFactory;
    } catch (err) {
      log.error('maps', 'the CNN predictor module failed to load', { err }); // a real bug here must not read as "no predictor in this build"
      factory = null;
    }
  }
  if (!factory) {
    throw new ApiError('unavailable', 'No CNN predictor is available in this build: train a model in the Train view first, or update Ferrolab');
  }
  return factory(ctx, req);
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

import type { CnnContext } from './cnn-context.js';
import { ApiError } from '../../api/errors.js';
import type { ModelRecord } from '../../store/repos/models-repo.js';
import type { ResolvedTrainParams } from '../../segregation/cnn/params.js';
import type { ArchitectureSpec } from '../../ml/architecture.js';
import { modelScaleOf, scaleLabel, scaleLabelPhrase, type ModelScale, type PatchScale } from '../../segregation/cnn/scale.js';
import type { ModelScaleInfo, PatchScaleInfo } from '../../api/methods/cnn.js';
import { phrase, plain } from '../../api/phrase.js';

/** A carbon CNN's physical scale (core/segregation/cnn/scale.ts) across the service: training, catalog, results. */

/**
 * The physical scale of the model to train: a fine-tuned model keeps its base's (a base stored before scales
 * keeps native pixels); a new one takes `patchMm` (or the default) at the first calibrated billet's mm per pixel.
 */
export function modelScaleForTraining(ctx: CnnContext, p: ResolvedTrainParams, base: ModelRecord | null): ModelScale | null {
  if (base) {
    const s = modelScaleOf(base.hyper);
    if (p.detailMmPerPx !== null) throw ApiError.said('invalid_argument', phrase('errors.cnn.fineTuneDetail'), { field: 'detailMmPerPx' });
    if (p.patchMm !== null && (s === null || Math.abs(s.patchMm - p.patchMm) > 1e-9)) {
      throw ApiError.said('invalid_argument', s ? phrase('errors.cnn.fineTunePatch', { patch: plain(s.patchMm) }) : phrase('errors.cnn.fineTunePatchNative'), { field: 'patchMm' });
    }
    return s;
  }
  const s = ctx.sections.defaultModelScale(p.billetIds, p.architecture.inputSize, p.patchMm ?? undefined);
  if (!s && p.patchMm !== null) throw ApiError.said('failed_precondition', phrase('errors.cnn.patchNeedsCalibration'), { field: 'patchMm' });
  if (s && s.patchMm / s.trainedMmPerPx < 2) throw ApiError.said('invalid_argument', phrase('errors.cnn.patchTooSmall', { patch: plain(s.patchMm), mmPerPx: plain(s.trainedMmPerPx) }), { field: 'patchMm' });
  if (p.detailMmPerPx !== null) {
    if (!s) throw ApiError.said('failed_precondition', phrase('errors.cnn.detailNeedsPatch'), { field: 'detailMmPerPx' });
    if (s.patchMm / p.detailMmPerPx < 4) throw ApiError.said('invalid_argument', phrase('errors.cnn.detailTooCoarse', { detail: plain(p.detailMmPerPx), patch: plain(s.patchMm) }), { field: 'detailMmPerPx' });
    return { ...s, detailMmPerPx: p.detailMmPerPx };
  }
  return s;
}

/** The stored model's scale and its input size. */
export function recordScale(rec: ModelRecord): { inputSize: number; scale: ModelScale | null } {
  return { inputSize: (rec.architecture as ArchitectureSpec).inputSize, scale: modelScaleOf(rec.hyper) };
}

/** How catalogs show a model's scale ("scale unknown" for one stored before scales). */
export function scaleInfo(rec: ModelRecord): ModelScaleInfo {
  const { inputSize, scale } = recordScale(rec);
  return { known: scale !== null, patchMm: scale?.patchMm ?? null, trainedMmPerPx: scale?.trainedMmPerPx ?? null, detailMmPerPx: scale?.detailMmPerPx ?? null, inputSize, label: scaleLabel(scale, inputSize), labelPhrase: scaleLabelPhrase(scale, inputSize) };
}

/** How a prediction or map says the scale its patches were cut at (and any warning). */
export function patchScaleInfo(p: PatchScale | null, rec: ModelRecord): PatchScaleInfo {
  if (p) return { ...p };
  const { inputSize, scale } = recordScale(rec);
  // No calibrated section (attached patch images only): each attached image was cut at its own scale.
  return {
    known: scale !== null, patchMm: scale?.patchMm ?? null, trainedMmPerPx: scale?.trainedMmPerPx ?? null, imageMmPerPx: null, sourceSizePx: null, inputSize, upsample: null,
    warning: scale ? null : 'scale unknown: the model was stored before physical scales', warningPhrase: scale ? null : phrase('scale.unknownStored'), label: scale ? `${scaleLabel(scale, inputSize)}; attached patch images cut at their own scale` : scaleLabel(null, inputSize),
    labelPhrase: scaleLabelPhrase(scale, inputSize, scale !== null),
  };
}

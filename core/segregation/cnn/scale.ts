/**
 * The physical scale of a carbon CNN (issue 11 §1). A model sees a patch of `patchMm` × `patchMm` of steel
 * resampled to its input size; it learnt the etched structure at that scale, so every patch it is given —
 * training, prediction, TTA, maps, Grad-CAM — is cut at `patchMm` from any image whatever its mm per pixel.
 * A model stored before the scale was recorded has none: it keeps cutting `inputSize` native pixels and is
 * labelled "scale unknown" wherever its figures are shown.
 */
import { fixed, phrase, type Phrase } from '../../api/phrase.js';

/** What a model stores (hyper.scale): the patch side on the steel and the section scale it was trained at. */
export interface ModelScale {
  /** Side of the patch on the section, mm. */
  patchMm: number;
  /** mm per pixel of the (first) training section the patch size was taken from: the model's training scale. */
  trainedMmPerPx: number;
  /** Side of the model input, px (the patch is resampled to it). */
  inputSize: number;
  /**
   * The finest detail the model uses, mm per pixel: every patch is first brought down to `patchMm / detailMmPerPx`
   * px (when it has more), then to the input — so scans down to this scale give the model the same detail. Set to
   * the coarsest scan a model must read alike; absent = the training scale (no extra smoothing).
   */
  detailMmPerPx?: number;
}

/** A prediction warns when reaching the model's scale enlarges the image more than this (detail is missing). */
export const MAX_UPSAMPLE = 2;

/** The model's scale from its stored hyperparameters; null for a model trained before scales were stored. */
export function modelScaleOf(hyper: unknown): ModelScale | null {
  const s = (hyper as { scale?: Partial<ModelScale> } | null)?.scale;
  if (!s || typeof s.patchMm !== 'number' || typeof s.trainedMmPerPx !== 'number' || typeof s.inputSize !== 'number') return null;
  if (!(s.patchMm > 0 && s.trainedMmPerPx > 0 && s.inputSize > 0)) return null;
  return { patchMm: s.patchMm, trainedMmPerPx: s.trainedMmPerPx, inputSize: s.inputSize, ...(typeof s.detailMmPerPx === 'number' && s.detailMmPerPx > 0 ? { detailMmPerPx: s.detailMmPerPx } : {}) };
}

/**
 * Detail is kept up to this fraction of the detail scan's Nyquist frequency: near Nyquist a scan's rendering
 * depends on its camera (pixel footprint, optics), below it scans of any resolution agree (the Kell-factor margin).
 */
export const DETAIL_NYQUIST_FRACTION = 0.8;

/** Side (px) every patch is brought down to before the input when the model has a detail scale, else null. */
export function detailSidePx(s: ModelScale | null): number | null {
  return s?.detailMmPerPx ? sidePxFor(s.patchMm, s.detailMmPerPx / DETAIL_NYQUIST_FRACTION) : null;
}

/** Side, in pixels of an image of `mmPerPx`, of a window covering `patchMm` (at least 2 px). */
export function sidePxFor(patchMm: number, mmPerPx: number): number {
  return Math.max(2, Math.round(patchMm / mmPerPx));
}

/** The model input's own scale (mm per input pixel). */
export const inputMmPerPx = (s: ModelScale): number => s.patchMm / s.inputSize;

/** How patches of one image are cut for one model, with the enlargement it needed. */
export interface PatchScale {
  /** False for a model without a stored scale (native pixels, "scale unknown"). */
  known: boolean;
  patchMm: number | null;
  /** The model's training section scale (mm/px), null when unknown. */
  trainedMmPerPx: number | null;
  /** The image's scale (mm/px), null without a calibration. */
  imageMmPerPx: number | null;
  /** Side cut from the image, px. */
  sourceSizePx: number;
  inputSize: number;
  /** inputSize / sourceSizePx: above 1 the image is enlarged to reach the model's scale. */
  upsample: number;
  /** Set when upsample > MAX_UPSAMPLE (or the scale is unknown): said wherever the result is shown. */
  warning: string | null;
  /** The warning as a code, for the interface's and the report's language. */
  warningPhrase?: Phrase | null;
  /** One line for people: "13.6 mm patch (0.425 mm/px image → 32 px)" or "scale unknown …". */
  label: string;
  /** The label as a code, for the interface's and the report's language. */
  labelPhrase?: Phrase;
}

export const SCALE_UNKNOWN = 'scale unknown';

/** Words for a model's scale (catalogs, CLI, UI). */
export function scaleLabel(s: ModelScale | null, inputSize: number): string {
  if (!s) return `${SCALE_UNKNOWN} (model stored before physical scales: patches are ${inputSize} native px of any image)`;
  return `${fmt(s.patchMm)} mm patch, trained at ${fmt(s.trainedMmPerPx)} mm/px (input ${s.inputSize} px${s.detailMmPerPx ? `; detail to ${fmt(s.detailMmPerPx)} mm/px` : ''})`;
}

/** scaleLabel as a code; `attached`: the model reads attached patch images, each cut at its own scale. */
export function scaleLabelPhrase(s: ModelScale | null, inputSize: number, attached = false): Phrase {
  if (!s) return phrase('scaleLabel.unknown', { px: inputSize });
  const patch = scaleNumber(s.patchMm);
  const trained = scaleNumber(s.trainedMmPerPx);
  if (s.detailMmPerPx) {
    const detail = scaleNumber(s.detailMmPerPx);
    return attached
      ? phrase('scaleLabel.attachedDetail', { patch, trained, input: s.inputSize, detail })
      : phrase('scaleLabel.modelDetail', { patch, trained, input: s.inputSize, detail });
  }
  return attached ? phrase('scaleLabel.attached', { patch, trained, input: s.inputSize }) : phrase('scaleLabel.model', { patch, trained, input: s.inputSize });
}

const fmt = (v: number): string => (v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(3));
/** The same number as a phrase parameter: the value `fmt` writes, worded with the reader's decimal mark. */
const scaleNumber = (v: number) => {
  const text = fmt(v);
  return fixed(Number(text), text.includes('.') ? text.length - text.indexOf('.') - 1 : 0);
};

/**
 * The patch geometry for a model on an image: the physical side at the image's mm/px for a model with a
 * scale; native pixels for one without. A model with a scale needs a calibrated image (`imageMmPerPx`):
 * the caller refuses it before asking.
 */
export function patchScaleFor(model: ModelScale | null, inputSize: number, imageMmPerPx: number | null): PatchScale {
  if (!model) {
    return {
      known: false, patchMm: null, trainedMmPerPx: null, imageMmPerPx, sourceSizePx: Math.max(2, inputSize), inputSize, upsample: 1,
      warning: `${SCALE_UNKNOWN}: the model was stored before physical scales; its patches are ${inputSize} native pixels of this image, whatever its mm per pixel`,
      warningPhrase: phrase('scale.unknownNative', { px: inputSize }),
      label: scaleLabel(null, inputSize),
      labelPhrase: scaleLabelPhrase(null, inputSize),
    };
  }
  if (imageMmPerPx === null || !(imageMmPerPx > 0)) throw new Error('a model with a physical scale needs the image’s mm per pixel (a calibrated section)');
  const side = sidePxFor(model.patchMm, imageMmPerPx);
  const upsample = inputSize / side;
  const warning = upsample > MAX_UPSAMPLE
    ? `the image (${fmt(imageMmPerPx)} mm/px) is enlarged ${upsample.toFixed(1)}× to reach the model's scale (${fmt(model.patchMm)} mm on ${inputSize} px; trained at ${fmt(model.trainedMmPerPx)} mm/px), more than ${MAX_UPSAMPLE}×: detail finer than ${fmt(2 * imageMmPerPx)} mm is missing and predictions may be off`
    : model.detailMmPerPx !== undefined && imageMmPerPx > model.detailMmPerPx * 1.001
      ? `the image (${fmt(imageMmPerPx)} mm/px) is coarser than the coarsest scan the model was made to read alike (${fmt(model.detailMmPerPx)} mm/px): detail it uses is missing and predictions may be off`
      : null;
  const warningPhrase = upsample > MAX_UPSAMPLE
    ? phrase('scale.enlarged', { image: scaleNumber(imageMmPerPx), upsample: fixed(upsample, 1), patch: scaleNumber(model.patchMm), px: inputSize, trained: scaleNumber(model.trainedMmPerPx), max: MAX_UPSAMPLE, finest: scaleNumber(2 * imageMmPerPx) })
    : warning !== null && model.detailMmPerPx !== undefined
      ? phrase('scale.coarser', { image: scaleNumber(imageMmPerPx), detail: scaleNumber(model.detailMmPerPx) })
      : null;
  return {
    known: true, patchMm: model.patchMm, trainedMmPerPx: model.trainedMmPerPx, imageMmPerPx, sourceSizePx: side, inputSize, upsample, warning, warningPhrase,
    label: `${fmt(model.patchMm)} mm patch: ${side} px of this image (${fmt(imageMmPerPx)} mm/px) → ${inputSize} px`,
    labelPhrase: phrase('scaleLabel.patch', { patch: scaleNumber(model.patchMm), side, image: scaleNumber(imageMmPerPx), input: inputSize }),
  };
}

/**
 * The CLAHE window is given in pixels of the training section; for a model with a scale it is converted to the
 * model input so it covers the same steel on every image (the window does not shrink on a finer scan).
 * Returns the section side (px at the training scale) the window refers to.
 */
export function claheReferenceSidePx(model: ModelScale | null, actualSidePx: number): number {
  return model ? sidePxFor(model.patchMm, model.trainedMmPerPx) : actualSidePx;
}

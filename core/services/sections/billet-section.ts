import type { Database } from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import type { Billet } from '../../api/methods/billets.js';
import { calibrate, decodeGrey, loadAttachedPatches, MissingPatchesError, storedSectionProbe, DEFAULT_CLAHE, type ClaheSettings, type GreyImage } from '../../imaging/index.js';
import { createBilletsRepo } from '../../store/repos/billets-repo.js';
import { createImagesRepo } from '../../store/repos/images-repo.js';
import { createAttachedPatchesRepo } from '../../store/repos/attached-patches-repo.js';
import { cutPatchesAt, type CutPatch, type OpenedBillet, type OpenedSection } from '../../segregation/cnn/dataset.js';
import { patchScaleFor, type ModelScale } from '../../segregation/cnn/scale.js';
import { phrase, type Phrase } from '../../api/phrase.js';

/**
 * The sections service's reader of a billet's pixels for models: the newest section decoded ONCE, its rim
 * calibration, the patch side for a model (its physical patch at this section's mm per pixel), and the billet's
 * attached patch images; then patches at any billet-centred mm position from that one decode
 * (core/segregation/cnn/dataset `cutPatchesAt`, resampled with sharp to the model input).
 */

/** The billet, or not_found naming the field the CNN methods take. */
export function billetForSection(db: Database, billetId: number): Billet {
  try {
    return createBilletsRepo(db).get(billetId);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'not_found') throw ApiError.said('not_found', phrase('errors.notFound.billet', { id: String(billetId) }), { field: 'billetIds' });
    throw err;
  }
}

/** What a model asks of a section: its input size and its physical scale (null: native pixels, an old model). */
export interface ModelInputSpec {
  inputSize: number;
  scale: ModelScale | null;
}

/**
 * Decodes a billet's (latest) section once, with its calibration and the patch geometry for a model (its
 * physical patch at this section's mm per pixel), and its attached patch images. A billet may have attached
 * patches and no (calibrated) section: then only its attached points have patches, and `patchesAt` names the others.
 */
export async function openBilletPatches(db: Database, imagesDir: string, billetId: number, model: ModelInputSpec, clahe: ClaheSettings | null | undefined): Promise<OpenedBillet> {
  return openBillet(db, imagesDir, billetId, model, clahe, true);
}

/** The section only (dense map prediction cuts at arbitrary centres, where attached patches do not apply). */
export async function openBilletSection(db: Database, imagesDir: string, billetId: number, model: ModelInputSpec, clahe: ClaheSettings | null | undefined): Promise<OpenedSection> {
  return (await openBillet(db, imagesDir, billetId, model, clahe, false)) as OpenedSection;
}

/** The refusal of an uncalibrated section, saying how to calibrate it. */
function notCalibrated(b: Billet, model: ModelInputSpec): ApiError {
  const said = model.scale
    ? phrase('errors.sections.notCalibratedScale', { name: b.name, patch: model.scale.patchMm.toPrecision(3) })
    : phrase('errors.sections.notCalibrated', { name: b.name });
  return ApiError.said('failed_precondition', said, { field: 'billetIds' });
}

async function openBillet(db: Database, imagesDir: string, billetId: number, model: ModelInputSpec, clahe: ClaheSettings | null | undefined, withAttached: boolean): Promise<OpenedBillet> {
  const b = billetForSection(db, billetId);
  const refs = withAttached ? createAttachedPatchesRepo(db).list(billetId) : [];
  const img = createImagesRepo(db, imagesDir).cnnSource(billetId);
  if (!refs.length) {
    if (!img) throw ApiError.said('failed_precondition', phrase('errors.sections.noImage', { name: b.name }), { field: 'billetIds' });
    if (!img.circle) throw notCalibrated(b, model);
  }
  const calibration = img?.circle ? calibrate(img.circle, b.nominalDiameterMm) : null;
  // The model's physical patch at this section's scale (resampled to the input); a model without a stored
  // scale cuts `inputSize` native pixels, as it was trained.
  const patchScale = calibration ? patchScaleFor(model.scale, model.inputSize, calibration.mmPerPx) : null;
  const sourceSizePx = patchScale?.sourceSizePx ?? model.inputSize;
  let section: GreyImage | null = null;
  if (img && calibration) {
    const { file, probed } = storedSectionProbe(imagesDir, img.contentHash);
    section = await decodeGrey(file, probed);
  }
  const attached = await loadAttachedPatches(imagesDir, refs);
  return {
    billet: {
      id: b.id,
      name: b.name,
      synthetic: b.synthetic,
      imageHash: section ? img!.contentHash : null,
      diameterMm: b.nominalDiameterMm,
      sourceSizePx,
      mmPerPx: calibration?.mmPerPx ?? null,
      attachedPatches: refs.map((r) => ({ label: r.label, contentHash: r.contentHash })),
    },
    section,
    calibration,
    attached,
    clahe: clahe === undefined ? DEFAULT_CLAHE : clahe,
    inputSize: model.inputSize,
    modelScale: model.scale,
    patchScale,
  };
}

/**
 * The physical patch a new model trained on these billets gets unless told: the first billet's image
 * settings (`patch.sizeMm`) if set, else `inputSize` pixels of its section (its native scale), with that
 * section's mm per pixel as the training scale. Null when no billet has a calibrated section.
 */
export function defaultModelScale(db: Database, imagesDir: string, billetIds: readonly number[], inputSize: number, patchMm?: number): ModelScale | null {
  const images = createImagesRepo(db, imagesDir);
  for (const id of billetIds) {
    const b = billetForSection(db, id);
    const img = images.cnnSource(id);
    if (!img?.circle) continue;
    const mmPerPx = calibrate(img.circle, b.nominalDiameterMm).mmPerPx;
    return { patchMm: patchMm ?? img.settingsSizeMm ?? inputSize * mmPerPx, trainedMmPerPx: mmPerPx, inputSize };
  }
  return null;
}

/**
 * Patches (CLAHE when enabled) with their quality at billet-centred mm positions: a point's attached patch
 * image when it has one, else a window of the opened section. Points with neither are refused by name.
 */
export async function patchesAt(s: OpenedBillet, points: readonly { label: string; xMm: number; yMm: number }[], signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<CutPatch[]> {
  try {
    return await cutPatchesAt(s, points, signal, onProgress);
  } catch (err) {
    if (err instanceof MissingPatchesError) throw ApiError.said('failed_precondition', missingPatches(s.billet.name, err.labels), { field: 'billetIds', details: { missing: err.labels } });
    throw err;
  }
}

/** Points that have no patch (no section to cut from, no attached image), named: the first 12, then a count. */
function missingPatches(name: string, labels: readonly string[]): Phrase {
  const shown = labels.slice(0, 12).join(', ');
  if (labels.length > 12) return phrase('errors.sections.missingPatchesMore', { name, n: labels.length, labels: shown, more: labels.length - 12 });
  return labels.length === 1 ? phrase('errors.sections.missingPatchesOne', { name, labels: shown }) : phrase('errors.sections.missingPatches', { name, n: labels.length, labels: shown });
}

import type { Database } from 'better-sqlite3';
import { ApiError } from '../../api/errors.js';
import type { Billet } from '../../api/methods/billets.js';
import { calibrate, decodeGrey, patchSourceSizePx, loadAttachedPatches, MissingPatchesError, storedSectionProbe, DEFAULT_CLAHE, type ClaheSettings, type GreyImage, type PatchSettings } from '../../imaging/index.js';
import { createBilletsRepo } from '../../store/repos/billets-repo.js';
import { createImagesRepo } from '../../store/repos/images-repo.js';
import { createAttachedPatchesRepo } from '../../store/repos/attached-patches-repo.js';
import { cutPatchesAt, type CutPatch, type OpenedBillet, type OpenedSection } from '../../segregation/cnn/dataset.js';

/**
 * The sections service's reader of a billet's pixels for models: the newest section decoded ONCE, its rim
 * calibration, the patch side for a model input size, and the billet's attached patch images; then patches at
 * any billet-centred mm position from that one decode (core/segregation/cnn/dataset `cutPatchesAt`).
 */

/** The billet, or not_found naming the field the CNN methods take. */
export function billetForSection(db: Database, billetId: number): Billet {
  try {
    return createBilletsRepo(db).get(billetId);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'not_found') throw new ApiError('not_found', `Billet ${billetId} does not exist`, { field: 'billetIds' });
    throw err;
  }
}

/**
 * Decodes a billet's (latest) section once, with its calibration and the patch geometry for a model input
 * size, and its attached patch images. A billet may have attached patches and no (calibrated) section: then
 * only its attached points have patches, and `patchesAt` names the others.
 */
export async function openBilletPatches(db: Database, imagesDir: string, billetId: number, inputSize: number, clahe: ClaheSettings | null | undefined): Promise<OpenedBillet> {
  return openBillet(db, imagesDir, billetId, inputSize, clahe, true);
}

/** The section only (dense map prediction cuts at arbitrary centres, where attached patches do not apply). */
export async function openBilletSection(db: Database, imagesDir: string, billetId: number, inputSize: number, clahe: ClaheSettings | null | undefined): Promise<OpenedSection> {
  return (await openBillet(db, imagesDir, billetId, inputSize, clahe, false)) as OpenedSection;
}

async function openBillet(db: Database, imagesDir: string, billetId: number, inputSize: number, clahe: ClaheSettings | null | undefined, withAttached: boolean): Promise<OpenedBillet> {
  const b = billetForSection(db, billetId);
  const refs = withAttached ? createAttachedPatchesRepo(db).list(billetId) : [];
  const img = createImagesRepo(db, imagesDir).cnnSource(billetId);
  if (!refs.length) {
    if (!img) throw new ApiError('failed_precondition', `Billet "${b.name}" has no section image: import one first (or attach patch images)`, { field: 'billetIds' });
    if (!img.circle) throw new ApiError('failed_precondition', `The section of billet "${b.name}" is not calibrated (no rim circle): set the rim first`, { field: 'billetIds' });
  }
  const calibration = img?.circle ? calibrate(img.circle, b.nominalDiameterMm) : null;
  // A patch side in mm stored with the image wins; otherwise the model input is cut at the section's
  // native scale (the paper's 224 px images; the compact preset's 64 px), never resampled.
  const patchSettings: PatchSettings = { sizeMm: img?.storedSizeMm ?? null, nativeSizePx: inputSize, outputSizePx: inputSize };
  const sourceSizePx = calibration ? patchSourceSizePx(patchSettings, calibration) : inputSize;
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
      attachedPatches: refs.map((r) => ({ label: r.label, contentHash: r.contentHash })),
    },
    section,
    calibration,
    attached,
    clahe: clahe === undefined ? DEFAULT_CLAHE : clahe,
    inputSize,
  };
}

/**
 * Patches (CLAHE when enabled) with their quality at billet-centred mm positions: a point's attached patch
 * image when it has one, else a window of the opened section. Points with neither are refused by name.
 */
export async function patchesAt(s: OpenedBillet, points: readonly { label: string; xMm: number; yMm: number }[], signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<CutPatch[]> {
  try {
    return await cutPatchesAt(s, points, signal, onProgress);
  } catch (err) {
    if (err instanceof MissingPatchesError) throw new ApiError('failed_precondition', `Billet "${s.billet.name}": ${err.message}`, { field: 'billetIds', details: { missing: err.labels } });
    throw err;
  }
}

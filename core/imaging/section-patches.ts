import { join } from 'node:path';
import { decodeGrey } from './decode.js';
import { storedSectionProbe } from './import-section.js';
import { patchSourceSizePx, pointsMmToPx, type PatchPointMm } from './patches.js';
import { patchesWithQuality, type PatchWithQuality } from './patch-pipeline.js';
import type { Calibration } from './types.js';
import type { ImagingSettings } from './settings.js';

export interface SectionPatchesOptions {
  /** The data folder's `images/`. */
  imagesDir: string;
  contentHash: string;
  calibration: Calibration;
  points: readonly PatchPointMm[];
  settings: ImagingSettings;
  /** Apply CLAHE (default true); quality is then reported before and after. */
  clahe?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/**
 * All patches of a stored section: decodes the section ONCE to 8-bit grey, cuts every point's window from
 * memory, resamples to the model input size, applies CLAHE and measures quality before/after.
 * This is what the CNN dataset builder and the `ferrolab patches` verb use.
 */
export async function sectionPatches(opts: SectionPatchesOptions): Promise<{ patches: PatchWithQuality[]; sourceSizePx: number }> {
  const { file, probed } = storedSectionProbe(opts.imagesDir, opts.contentHash);
  const section = await decodeGrey(file, probed, { displayName: join('images', opts.contentHash) });
  opts.signal?.throwIfAborted();
  const sourceSizePx = patchSourceSizePx(opts.settings.patch, opts.calibration);
  const patches = await patchesWithQuality(section, pointsMmToPx(opts.calibration, opts.points), {
    sourceSizePx,
    outputSizePx: opts.settings.patch.outputSizePx,
    clahe: opts.clahe === false ? null : opts.settings.clahe,
    glcm: opts.settings.glcm,
    thresholds: opts.settings.thresholds,
    signal: opts.signal,
    onProgress: opts.onProgress,
  });
  return { patches, sourceSizePx };
}

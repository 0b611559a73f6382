import { join } from 'node:path';
import { decodeGrey } from './decode.js';
import { storedSectionProbe } from './import-section.js';
import { patchSourceSizePx, pointsMmToPx, type PatchPointMm } from './patches.js';
import { patchSet, type PatchWithQuality } from './patch-pipeline.js';
import { loadAttachedPatches, type AttachedPatchRef } from './attached-patches.js';
import type { Calibration } from './types.js';
import type { ImagingSettings } from './settings.js';

export interface SectionPatchesOptions {
  /** The data folder's `images/`. */
  imagesDir: string;
  /** The stored section, or null when the billet has attached patches only. */
  contentHash: string | null;
  /** Needed with a section; null without one. */
  calibration: Calibration | null;
  points: readonly PatchPointMm[];
  settings: ImagingSettings;
  /** Separately captured patches of the billet's points; they take precedence over cutting from the section. */
  attached?: readonly AttachedPatchRef[];
  /** Apply CLAHE (default true); quality is then reported before and after. */
  clahe?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/**
 * All patches of a billet's points: decodes the section ONCE to 8-bit grey (when there is one), cuts every
 * point's window from memory — or takes the point's attached patch image — resamples to the model input size,
 * applies CLAHE and measures quality before/after. Used by the `ferrolab patches` verb and the quality table.
 * `missing` lists the points with no source (no section and no attached patch); `sourceSizePx` is the cut
 * side on the section (null without one).
 */
export async function sectionPatches(opts: SectionPatchesOptions): Promise<{ patches: PatchWithQuality[]; missing: string[]; sourceSizePx: number | null }> {
  const attached = await loadAttachedPatches(opts.imagesDir, opts.attached ?? []);
  let section = null;
  let sourceSizePx: number | null = null;
  if (opts.contentHash !== null && opts.calibration !== null) {
    const { file, probed } = storedSectionProbe(opts.imagesDir, opts.contentHash);
    section = await decodeGrey(file, probed, { displayName: join('images', opts.contentHash) });
    sourceSizePx = patchSourceSizePx(opts.settings.patch, opts.calibration);
  }
  opts.signal?.throwIfAborted();
  const points = opts.calibration ? pointsMmToPx(opts.calibration, opts.points) : opts.points.map((p) => ({ label: p.label, xPx: null, yPx: null }));
  const r = await patchSet(section, points, {
    sourceSizePx: sourceSizePx ?? opts.settings.patch.nativeSizePx,
    outputSizePx: opts.settings.patch.outputSizePx,
    clahe: opts.clahe === false ? null : opts.settings.clahe,
    glcm: opts.settings.glcm,
    thresholds: opts.settings.thresholds,
    attached,
    signal: opts.signal,
    onProgress: opts.onProgress,
  });
  return { ...r, sourceSizePx };
}

import type { ClaheSettings, GreyImage, Patch } from './types.js';
import { cutWindow, resampleSquare } from './patches.js';
import { applyClahe } from './clahe.js';
import { assessQuality, type GlcmSettings, type QualityReport, type QualityThresholds } from './quality.js';
import { centreSquare, type AttachedPatchImage } from './attached-patches.js';
import { RefusedError } from '../runtime/refused.js';
import { phrase, plain } from '../api/phrase.js';

export interface PatchPipelineOptions {
  sourceSizePx: number;
  outputSizePx: number;
  /** null = no CLAHE (the "after" figures are then absent). */
  clahe: ClaheSettings | null;
  glcm?: GlcmSettings;
  thresholds?: QualityThresholds;
  /**
   * Separately captured patches by point label. A point with one uses it instead of a window cut from the
   * section; it is centre-cropped to a square and resampled to `outputSizePx`, then goes through the same
   * CLAHE and quality steps.
   */
  attached?: ReadonlyMap<string, AttachedPatchImage>;
  /**
   * The patch side on the steel (mm) for a model with a physical scale: an attached image is then cut at
   * `patchMm / its mm per pixel` (it must carry its scale) instead of its largest centred square.
   */
  patchMm?: number | null;
  /**
   * Every patch with more pixels than this is first resampled down to it, then to `outputSizePx`: the same detail
   * from scans of any resolution down to that side (a model's detail scale). Null/absent: straight to the output.
   */
  detailSidePx?: number | null;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** A point to make a patch for; its pixel position is null when the billet has no (calibrated) section. */
export interface PipelinePoint {
  label: string;
  xPx: number | null;
  yPx: number | null;
}

export interface PatchWithQuality {
  raw: Patch;
  /** Where the pixels came from. */
  source: 'section' | 'attached';
  /** The attached file's original name (source 'attached'). */
  attachedName: string | null;
  /** CLAHE-enhanced pixels (same size as raw), or null when CLAHE is off. */
  clahe: Uint8Array | null;
  qualityRaw: QualityReport;
  qualityClahe: QualityReport | null;
}

export interface PatchSet {
  /** In the order of the points, without the missing ones. */
  patches: PatchWithQuality[];
  /** Labels with neither an attached patch nor a section to cut from. */
  missing: string[];
}

/** Thrown by `patchesWithQuality` when some points have no patch source. */
export class MissingPatchesError extends Error {
  constructor(readonly labels: readonly string[]) {
    super(`${labels.length} point${labels.length === 1 ? ' has' : 's have'} no patch: ${labels.slice(0, 12).join(', ')}${labels.length > 12 ? ` and ${labels.length - 12} more` : ''} (no section image to cut from and no attached patch image)`);
    this.name = 'MissingPatchesError';
  }
}

/**
 * The one patch pipeline: for every point, the attached patch if there is one, else a window cut from the
 * one decoded section → resample → CLAHE → quality before/after. Points with no source are listed, never
 * silently dropped.
 */
export async function patchSet(section: GreyImage | null, points: readonly PipelinePoint[], opts: PatchPipelineOptions): Promise<PatchSet> {
  const out: PatchWithQuality[] = [];
  const missing: string[] = [];
  const side = Math.max(2, Math.round(opts.sourceSizePx));
  const q = { glcm: opts.glcm, thresholds: opts.thresholds };
  for (let i = 0; i < points.length; i++) {
    opts.signal?.throwIfAborted();
    const p = points[i];
    const centerPx = p.xPx !== null && p.yPx !== null ? { x: p.xPx, y: p.yPx } : null;
    const att = opts.attached?.get(p.label);
    let raw: Patch;
    if (att) {
      const img = await att.read();
      const want = opts.patchMm ? attachedSidePx(att, opts.patchMm) : undefined;
      if (want !== undefined && want > Math.min(img.width, img.height)) {
        throw RefusedError.said(
          'failed_precondition',
          phrase('errors.imaging.attachedSmallerThanPatch', { label: att.label, file: att.name, width: img.width, height: img.height, mmPerPx: plain(att.mmPerPx!), patch: opts.patchMm!.toPrecision(3), want }),
        );
      }
      const sq = centreSquare(img, want);
      raw = { label: p.label, size: opts.outputSizePx, data: await toOutput(sq.data, sq.side, opts), centerPx, sourceSizePx: sq.side, outsideFraction: 0 };
    } else if (section && centerPx) {
      const win = cutWindow(section, centerPx.x, centerPx.y, side);
      raw = { label: p.label, size: opts.outputSizePx, data: await toOutput(win.data, side, opts), centerPx, sourceSizePx: side, outsideFraction: win.outsideFraction };
    } else {
      missing.push(p.label);
      opts.onProgress?.(i + 1, points.length);
      continue;
    }
    const clahe = opts.clahe ? await applyClahe(raw.data, raw.size, raw.size, opts.clahe) : null;
    out.push({
      raw,
      source: att ? 'attached' : 'section',
      attachedName: att ? att.name : null,
      clahe,
      qualityRaw: assessQuality(raw.data, raw.size, raw.size, q),
      qualityClahe: clahe ? assessQuality(clahe, raw.size, raw.size, q) : null,
    });
    opts.onProgress?.(i + 1, points.length);
  }
  return { patches: out, missing };
}

/** The cut square resampled to the output side, through the detail side first when it has more pixels. */
async function toOutput(data: Uint8Array, side: number, opts: PatchPipelineOptions): Promise<Uint8Array> {
  const d = opts.detailSidePx;
  if (d && side > d && d !== opts.outputSizePx) return resampleSquare(await resampleSquare(data, side, d), d, opts.outputSizePx);
  return resampleSquare(data, side, opts.outputSizePx);
}

/** Side (px of the attached image) covering `patchMm`; refused, naming the point, when the image has no scale. */
function attachedSidePx(att: AttachedPatchImage, patchMm: number): number {
  if (att.mmPerPx === null) {
    throw RefusedError.said('failed_precondition', phrase('errors.imaging.attachedNoScale', { label: att.label, file: att.name, patch: patchMm.toPrecision(3) }));
  }
  return Math.max(2, Math.round(patchMm / att.mmPerPx));
}

/** `patchSet` for callers that need every point: throws `MissingPatchesError` naming the points without a patch. */
export async function patchesWithQuality(section: GreyImage | null, points: readonly PipelinePoint[], opts: PatchPipelineOptions): Promise<PatchWithQuality[]> {
  const r = await patchSet(section, points, opts);
  if (r.missing.length) throw new MissingPatchesError(r.missing);
  return r.patches;
}

import type { ClaheSettings, GreyImage, Patch } from './types.js';
import { extractPatches, type PatchPointPx } from './patches.js';
import { applyClahe } from './clahe.js';
import { assessQuality, type GlcmSettings, type QualityReport, type QualityThresholds } from './quality.js';

export interface PatchPipelineOptions {
  sourceSizePx: number;
  outputSizePx: number;
  /** null = no CLAHE (the "after" figures are then absent). */
  clahe: ClaheSettings | null;
  glcm?: GlcmSettings;
  thresholds?: QualityThresholds;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface PatchWithQuality {
  raw: Patch;
  /** CLAHE-enhanced pixels (same size as raw), or null when CLAHE is off. */
  clahe: Uint8Array | null;
  qualityRaw: QualityReport;
  qualityClahe: QualityReport | null;
}

/** Cut → resample → CLAHE → quality before/after, for every point, from one decoded section. */
export async function patchesWithQuality(section: GreyImage, points: readonly PatchPointPx[], opts: PatchPipelineOptions): Promise<PatchWithQuality[]> {
  const raw = await extractPatches(section, points, { sourceSizePx: opts.sourceSizePx, outputSizePx: opts.outputSizePx, signal: opts.signal });
  const out: PatchWithQuality[] = [];
  for (let i = 0; i < raw.length; i++) {
    opts.signal?.throwIfAborted();
    const p = raw[i];
    const clahe = opts.clahe ? await applyClahe(p.data, p.size, p.size, opts.clahe) : null;
    out.push({
      raw: p,
      clahe,
      qualityRaw: assessQuality(p.data, p.size, p.size, { glcm: opts.glcm, thresholds: opts.thresholds }),
      qualityClahe: clahe ? assessQuality(clahe, p.size, p.size, { glcm: opts.glcm, thresholds: opts.thresholds }) : null,
    });
    opts.onProgress?.(i + 1, raw.length);
  }
  return out;
}

import { createHash } from 'node:crypto';
import {
  patchesWithQuality,
  type AttachedPatchImage,
  pointsMmToPx,
  type ClaheSettings,
  type Calibration,
  type GreyImage,
  type PatchSettings,
  type DihedralIndex,
} from '../../imaging/index.js';
import type { SampleSet } from '../../ml/tensors.js';
import { dihedralSamples, type TargetScaling } from '../../ml/tta.js';
import { claheReferenceSidePx, detailSidePx, type ModelScale, type PatchScale } from './scale.js';
import type { Phrase } from '../../api/phrase.js';

export type { TargetScaling };

/** One sampling point with its patch (one copy; the 8 dihedral copies are made on demand). */
export interface DatasetPoint {
  billetId: number;
  pointId: number;
  label: string;
  xMm: number;
  yMm: number;
  /** Mean of the point's carbon readings (wt.%), null when it has none. */
  carbon: number | null;
  /** Grey patch (after CLAHE when enabled), size × size. */
  patch: Uint8Array;
  lowQuality: boolean;
  qualityFlags: string[];
  outsideFraction: number;
}

export interface DatasetBillet {
  id: number;
  name: string;
  synthetic: boolean;
  /** The section the patches were cut from; null for a billet with attached patch images only. */
  imageHash: string | null;
  diameterMm: number;
  /** Side cut from the section, px (the model's patch side at this section's scale). */
  sourceSizePx: number;
  /** The section's mm per pixel (null without a calibrated section). */
  mmPerPx?: number | null;
  /** Separately captured patches used instead of cut ones (label → content hash). */
  attachedPatches: Array<{ label: string; contentHash: string }>;
}

export interface CnnDataset {
  size: number;
  clahe: ClaheSettings | null;
  patchSettings: PatchSettings;
  billets: DatasetBillet[];
  points: DatasetPoint[];
  /** sha256 over billets, images, points, readings and preprocessing: what the model was trained on. */
  fingerprint: string;
}

export interface DatasetOptions {
  inputSize: number;
  /** The model's physical scale; null/absent = `inputSize` native pixels (a model stored before scales). */
  scale?: ModelScale | null;
  clahe?: ClaheSettings | null;
  /** Only points with readings (training); predictions take every point. */
  requireReadings: boolean;
  signal?: AbortSignal;
  onProgress?: (fraction: number, message: string | Phrase) => void;
}

/** A billet's patch sources, opened once: its decoded section (if any) and its attached patch images. */
export interface OpenedBillet {
  billet: DatasetBillet;
  section: GreyImage | null;
  calibration: Calibration | null;
  /** Attached patches by point label; they take precedence over cutting from the section. */
  attached: ReadonlyMap<string, AttachedPatchImage>;
  clahe: ClaheSettings | null;
  inputSize: number;
  /** The model's scale (null: native pixels). */
  modelScale: ModelScale | null;
  /** How this billet's section is cut for the model (null without a calibrated section). */
  patchScale: PatchScale | null;
}

export interface OpenedSection extends OpenedBillet {
  section: GreyImage;
  calibration: Calibration;
}

export interface CutPatch {
  patch: Uint8Array;
  lowQuality: boolean;
  qualityFlags: string[];
  outsideFraction: number;
}

/**
 * Patches (CLAHE when enabled) with their quality at billet-centred mm positions: a point's attached patch
 * image when it has one, else a window of the opened section. Points with neither make it throw
 * MissingPatchesError (core/imaging), which names them.
 */
export async function cutPatchesAt(s: OpenedBillet, points: readonly { label: string; xMm: number; yMm: number }[], signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<CutPatch[]> {
  const cal = s.calibration;
  const px = cal ? pointsMmToPx(cal, points.map((p) => ({ label: p.label, xMm: p.xMm, yMm: p.yMm }))) : points.map((p) => ({ label: p.label, xPx: null, yPx: null }));
  const patches = await patchesWithQuality(s.section, px, {
    sourceSizePx: s.billet.sourceSizePx,
    outputSizePx: s.inputSize,
    clahe: s.clahe ? scaledClahe(s.clahe, s.inputSize, claheReferenceSidePx(s.modelScale, s.billet.sourceSizePx)) : null,
    attached: s.attached,
    patchMm: s.modelScale?.patchMm ?? null,
    detailSidePx: detailSidePx(s.modelScale),
    signal,
    onProgress,
  });
  return patches.map((q, i) => {
    // Off the section = off the image or beyond the rim circle (background is not steel); an attached
    // patch image is steel by construction.
    const p = px[i];
    const outside = q.source === 'attached' || !cal || p.xPx === null || p.yPx === null ? 0 : Math.max(q.raw.outsideFraction, offSectionFraction(cal, p.xPx, p.yPx, s.billet.sourceSizePx));
    return {
      patch: q.clahe ?? q.raw.data,
      // Judged on the raw patch: CLAHE can make a badly etched patch look contrasty.
      lowQuality: q.qualityRaw.lowEtchContrast || outside > 0.05,
      qualityFlags: [...q.qualityRaw.flags, ...(outside > 0.05 ? ['outside-section'] : [])],
      outsideFraction: outside,
    };
  });
}

/** Fraction of a square window (centre and side in pixels) lying outside the calibrated rim circle, on a 16×16 sample grid. */
export function offSectionFraction(cal: Calibration, cx: number, cy: number, side: number): number {
  const { circle } = cal;
  const reach = Math.hypot(cx - circle.cx, cy - circle.cy) + side / Math.SQRT2;
  if (reach <= circle.r) return 0;
  let out = 0;
  for (let i = 0; i < 16; i++)
    for (let j = 0; j < 16; j++) {
      const x = cx + ((i + 0.5) / 16 - 0.5) * side;
      const y = cy + ((j + 0.5) / 16 - 0.5) * side;
      if (Math.hypot(x - circle.cx, y - circle.cy) > circle.r) out++;
    }
  return out / 256;
}

/**
 * CLAHE windows are in section pixels (of the training section, for a model with a scale); when a patch is
 * resampled the window scales with it so it still covers the same area of the etched structure.
 */
export function scaledClahe(c: ClaheSettings, outputSizePx: number, sourceSizePx: number): ClaheSettings {
  const f = outputSizePx / sourceSizePx;
  if (f === 1) return c;
  return { ...c, width: Math.max(3, Math.round(c.width * f)), height: Math.max(3, Math.round(c.height * f)) };
}

export function fingerprintOf(billets: readonly DatasetBillet[], points: readonly DatasetPoint[], clahe: ClaheSettings | null, size: number): string {
  const h = createHash('sha256');
  // Attached patches join the key only when present, so fingerprints of section-only datasets are unchanged.
  h.update(JSON.stringify({ v: 1, size, clahe, billets: billets.map((b) => [b.id, b.imageHash, b.sourceSizePx, ...(b.attachedPatches.length ? [b.attachedPatches] : [])]) }));
  for (const p of points) h.update(JSON.stringify([p.billetId, p.label, p.xMm, p.yMm, p.carbon]));
  return h.digest('hex');
}

/** The dataset's description stored with a model (no pixels). */
export function datasetSummary(d: CnnDataset) {
  return {
    fingerprint: d.fingerprint,
    size: d.size,
    clahe: d.clahe,
    patchSettings: d.patchSettings,
    billets: d.billets,
    points: d.points.map((p) => ({ billetId: p.billetId, label: p.label, xMm: p.xMm, yMm: p.yMm, carbon: p.carbon, lowQuality: p.lowQuality })),
    carbonRange: carbonRange(d.points),
  };
}

export function carbonRange(points: readonly Pick<DatasetPoint, 'carbon'>[]): { min: number; max: number } | null {
  const c = points.map((p) => p.carbon).filter((v): v is number => v !== null);
  return c.length ? { min: Math.min(...c), max: Math.max(...c) } : null;
}

/** Standardisation of carbon for training (stored with the model to undo it). */
export function targetScaling(carbon: readonly number[]): TargetScaling {
  const mean = carbon.reduce((a, b) => a + b, 0) / carbon.length;
  const sd = Math.sqrt(carbon.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, carbon.length - 1));
  return { mean, scale: sd > 1e-6 ? sd : 0.01 };
}

/** The 8 dihedral copies of each point's patch as model samples, with standardised carbon targets. */
export function pointSamples(
  patches: readonly Uint8Array[],
  carbon: readonly (number | null)[],
  size: number,
  channels: 1 | 3,
  scaling: TargetScaling,
  transforms?: readonly DihedralIndex[],
): SampleSet {
  return dihedralSamples(patches, carbon, size, channels, scaling, transforms);
}

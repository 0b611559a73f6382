import { createHash } from 'node:crypto';
import type { ServiceContext } from '../context.js';
import type { PoreSummary } from '../../api/methods/images.js';
import { calibrate, decodeMaskRle, DEFAULT_PORE_SETTINGS, storedSectionProbe, type Circle, type PoreDetection } from '../../imaging/index.js';
import type { PoresWorkerInput } from '../../imaging/pores.worker.js';
import { runWorker } from '../../runtime/worker.js';
import { createImagesRepo } from '../../store/repos/images-repo.js';
import { createPoreDetectionsRepo, type StoredPoreDetection } from '../../store/repos/pore-detections-repo.js';
import { billetForSection } from './billet-section.js';
import type { Phrase } from '../../api/phrase.js';

/**
 * Pores of a billet's section (core/imaging/pores, in a worker), stored per image content hash and detection key
 * (migration 014) so the same pixels are searched once. `summary` only reads what is stored; `detect` computes
 * what is missing (the `images.detectPores` job, and the predicted-map and Grad-CAM jobs before they mask pores).
 */

/** Bump when the detector's output for the same input changes: older rows are then not reused. */
export const PORE_DETECTOR = 'ferrolab-pores/1';

/** A detection with its mask, read back for masking (maps, Grad-CAM). */
export interface SectionPores {
  contentHash: string;
  width: number;
  height: number;
  circle: Circle;
  mmPerPx: number;
  minDiameterMm: number;
  pores: StoredPoreDetection['pores'];
  /** 1 on pore pixels, full-resolution, row-major. */
  mask: Uint8Array;
}

interface SectionRef {
  contentHash: string;
  circle: Circle;
  mmPerPx: number;
  key: string;
}

function detectionKey(circle: Circle, mmPerPx: number): string {
  const r = (v: number) => Math.round(v * 1000) / 1000;
  const what = JSON.stringify({ detector: PORE_DETECTOR, settings: DEFAULT_PORE_SETTINGS, circle: { cx: r(circle.cx), cy: r(circle.cy), r: r(circle.r) }, mmPerPx: Number(mmPerPx.toPrecision(9)) });
  return createHash('sha256').update(what).digest('hex').slice(0, 32);
}

/** The billet's section to search, or why there is none (no image, or no rim yet). */
function sectionRef(ctx: ServiceContext, billetId: number): SectionRef | 'no-section' | 'not-calibrated' {
  const b = billetForSection(ctx.db, billetId);
  const img = createImagesRepo(ctx.db, ctx.paths.images).cnnSource(billetId);
  if (!img) return 'no-section';
  if (!img.circle) return 'not-calibrated';
  const mmPerPx = calibrate(img.circle, b.nominalDiameterMm).mmPerPx;
  return { contentHash: img.contentHash, circle: img.circle, mmPerPx, key: detectionKey(img.circle, mmPerPx) };
}

function toSummary(d: StoredPoreDetection): PoreSummary {
  return {
    status: 'detected',
    count: d.poreCount,
    minDiameterMm: d.minDiameterMm,
    areaFraction: d.areaFraction,
    pores: d.pores.map((p) => ({ xMm: p.xMm, yMm: p.yMm, diameterMm: p.diameterMm, areaMm2: p.areaMm2 })),
    seconds: d.seconds,
    detectedAt: d.createdAt,
  };
}

const none = (status: PoreSummary['status']): PoreSummary => ({ status, count: null, minDiameterMm: null, areaFraction: null, pores: [], seconds: null, detectedAt: null });

/** What is stored for the billet's current section (never computes). */
export function poreSummary(ctx: ServiceContext, billetId: number): PoreSummary {
  const ref = sectionRef(ctx, billetId);
  if (typeof ref === 'string') return none(ref);
  const d = createPoreDetectionsRepo(ctx.db).get(ref.contentHash, ref.key);
  return d ? toSummary(d) : none('not-run');
}

type Progress = { signal?: AbortSignal; progress?: (fraction: number | null, message: string | Phrase) => void };

async function storedOrDetected(ctx: ServiceContext, ref: SectionRef, ctl: Progress): Promise<StoredPoreDetection> {
  const repo = createPoreDetectionsRepo(ctx.db);
  const have = repo.get(ref.contentHash, ref.key);
  if (have) return have;
  const { file, probed } = storedSectionProbe(ctx.paths.images, ref.contentHash);
  const input: PoresWorkerInput = { file, probed, mmPerPx: ref.mmPerPx, circle: ref.circle };
  const done = await runWorker<{ type: 'done'; detection: Omit<PoreDetection, 'mask'>; rle: Uint8Array; seconds: number }>(new URL('../../imaging/pores.worker.js', import.meta.url), {
    workerData: input,
    signal: ctl.signal,
    onMessage: (m) => {
      const p = m as { type: string; fraction?: number; message?: string | Phrase };
      if (p.type === 'progress') ctl.progress?.(p.fraction ?? null, p.message ?? '');
    },
    what: 'pore detection',
  });
  const d = done.detection;
  repo.put({
    contentHash: ref.contentHash,
    detectionKey: ref.key,
    width: d.width,
    height: d.height,
    mmPerPx: ref.mmPerPx,
    circle: ref.circle,
    minDiameterMm: d.minDiameterMm,
    poreCount: d.pores.length,
    areaFraction: d.areaFraction,
    pores: d.pores,
    settings: d.settings,
    maskRle: done.rle,
    seconds: done.seconds,
  });
  return repo.get(ref.contentHash, ref.key)!;
}

/** Detects (or reads back) the pores of the billet's section; the summary says why not when it cannot. */
export async function detectBilletPores(ctx: ServiceContext, billetId: number, ctl: Progress = {}): Promise<PoreSummary> {
  const ref = sectionRef(ctx, billetId);
  if (typeof ref === 'string') return none(ref);
  const d = await storedOrDetected(ctx, ref, ctl);
  ctx.bus.emit({ type: 'data-changed', entity: 'billet', id: billetId }); // its pore count changed
  return toSummary(d);
}

/** The pores with their mask for masking, detecting them first when needed; null without a calibrated section. */
export async function sectionPores(ctx: ServiceContext, billetId: number, ctl: Progress = {}): Promise<SectionPores | null> {
  const ref = sectionRef(ctx, billetId);
  if (typeof ref === 'string') return null;
  const d = await storedOrDetected(ctx, ref, ctl);
  return { contentHash: d.contentHash, width: d.width, height: d.height, circle: d.circle, mmPerPx: d.mmPerPx, minDiameterMm: d.minDiameterMm, pores: d.pores, mask: decodeMaskRle(d.maskRle, d.width * d.height) };
}

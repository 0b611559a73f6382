import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CnnContext } from './cnn-context.js';
import { ApiError } from '../../api/errors.js';
import type { ArchitectureSpec } from '../../ml/architecture.js';
import { convLayerIndices } from '../../ml/architecture.js';
import { modelFromArtifacts, readModelDir } from '../../ml/model-io.js';
import { gradCamAsync, camOverlayPng } from '../../ml/gradcam.js';
import { darkRegionMask, regionMeans, regionWilcoxon, type RegionMeans, type RegionTest } from '../../ml/region-analysis.js';
import { dihedralSamples } from '../../ml/tta.js';
import { encodeGreyPng, poreMaskOfPatch } from '../../imaging/index.js';
import type { DatasetPoint } from '../../segregation/cnn/dataset.js';
import { loadBilletPoints } from './dataset-loader.js';
import { modelPointPrediction, requireCnnModel } from './predict.js';
import { predictTta } from '../../ml/tta.js';
import { modelCalibration } from '../../segregation/cnn/calibration.js';
import { samplePointLabeller } from '../../segregation/cnn/sample-label.js';
import { modelTrainedImages } from '../shared/model-lineage.js';
import { predictedBillet } from '../shared/predicted-billet.js';
import { coveragePhrase, coverageWords } from '../../ml/conformal.js';
import type { CnnMetrics, IntervalCalibration, PredictionInterval, SampleLabel } from '../../api/methods/cnn.js';
import { recordScale } from './model-scale.js';
import { modelInputNorm, normalisePatch } from '../../ml/input-norm.js';
import { safeFileName } from '../../runtime/file-name.js';
import { phrase, type Phrase } from '../../api/phrase.js';

export interface GradCamLayerImage {
  convLayer: number;
  layerName: string;
  /** PNG overlay relative to the data folder (for fileUrl). */
  overlayRel: string;
  rawMax: number;
  /** Mean activation on dark (interdendritic) vs light (dendrite core) pixels of the patch, pore pixels left out. */
  regions: RegionMeans | null;
}

export interface GradCamPointResult {
  modelId: number;
  billetId: number;
  label: string;
  /** The CNN's output for the one un-augmented view the overlays explain (no TTA, no texture blend): not the model's prediction. */
  prediction: number;
  /**
   * The model's prediction of this patch as `predict` makes it (TTA mean over 8 views, blended when the model is), with
   * its calibrated interval and what the point is to the model (in-sample / held-out / out-of-sample / unknown).
   */
  modelPrediction: { mean: number; sd: number; interval: PredictionInterval | null; sample: SampleLabel };
  /** The interval's calibration and its measured coverage on held-out points (null: none), in words. */
  calibration: IntervalCalibration | null;
  intervalWords: string;
  intervalPhrase: Phrase;
  convLayers: number;
  patchRel: string;
  /** Patch pixels on detected pores, left out of both regions. */
  porePixels: number;
  layers: GradCamLayerImage[];
}

async function loadModelAndPoints(ctx: CnnContext, modelId: number, billetId: number) {
  await ctx.backend();
  const rec = requireCnnModel(ctx, modelId);
  const arch = rec.architecture as ArchitectureSpec;
  const hyper = rec.hyper as { clahe?: boolean; targetScaling: { mean: number; scale: number } };
  const model = await modelFromArtifacts(readModelDir(join(ctx.paths.root, rec.path)));
  const loaded = await loadBilletPoints(ctx, billetId, { inputSize: arch.inputSize, scale: recordScale(rec).scale, clahe: hyper.clahe === false ? null : undefined, requireReadings: false });
  // Overlays, region masks and the model all use the patch as the model saw it in training.
  const norm = modelInputNorm(rec.hyper);
  // Pores are black but not interdendritic steel: their pixels are left out of the region masks. A point with an
  // attached patch image has its own pixels (no section mask applies to it).
  const pores = await ctx.sections.sectionPores(billetId);
  const attached = new Set(loaded.billet.attachedPatches.map((a) => a.label));
  const sideMm = pores ? loaded.billet.sourceSizePx * pores.mmPerPx : 0;
  const points = loaded.points.map((p) => ({
    ...p,
    patch: normalisePatch(p.patch, norm),
    pores: pores && !attached.has(p.label) ? poreMaskOfPatch(pores, p.xMm, p.yMm, sideMm, arch.inputSize) : null,
  }));
  return { rec, arch, hyper, model, points, billet: loaded.billet };
}

function sampleOf(p: DatasetPoint, arch: ArchitectureSpec): Float32Array {
  return dihedralSamples([p.patch], [null], arch.inputSize, arch.channels, { mean: 0, scale: 1 }, [0]).x;
}

/** Grad-CAM overlays of one point for the chosen conv layers ('all' = the paper's Fig. 9 gallery). */
export async function gradCamForPoint(ctx: CnnContext, modelId: number, billetId: number, label: string, layers: number[] | 'all'): Promise<GradCamPointResult> {
  const { rec, arch, hyper, model, points, billet } = await loadModelAndPoints(ctx, modelId, billetId);
  try {
    const p = points.find((x) => x.label === label);
    if (!p) throw ApiError.said('not_found', phrase('errors.store.noPoint', { billet: String(billetId), label }), { field: 'label' });
    const n = convLayerIndices(model).length;
    const wanted = layers === 'all' ? Array.from({ length: n }, (_, i) => i + 1) : layers;
    for (const l of wanted) if (!Number.isInteger(l) || l < 1 || l > n) throw ApiError.said('invalid_argument', phrase('errors.cnn.convLayer', { n, layer: String(l) }), { field: 'layers' });
    const safe = safeFileName(label, { fallback: 'point' });
    const relDir = `reports/gradcam/model-${modelId}/billet-${billetId}/${safe}`;
    mkdirSync(join(ctx.paths.root, relDir), { recursive: true });
    const size = arch.inputSize;
    writeFileSync(join(ctx.paths.root, relDir, 'patch.png'), await encodeGreyPng({ width: size, height: size, data: p.patch }));
    const x = sampleOf(p, arch);
    const mask = darkRegionMask(p.patch, undefined, p.pores);
    const out: GradCamLayerImage[] = [];
    let prediction = Number.NaN;
    for (const l of wanted) {
      const r = await gradCamAsync(model, x, l);
      prediction = r.prediction * hyper.targetScaling.scale + hyper.targetScaling.mean;
      const rel = `${relDir}/layer-${String(l).padStart(2, '0')}.png`;
      writeFileSync(join(ctx.paths.root, rel), await camOverlayPng(p.patch, size, r.cam));
      let regions: RegionMeans | null = null;
      try {
        regions = regionMeans(r.cam, mask, p.pores);
      } catch {
        regions = null; // a flat patch has no dark/light split
      }
      out.push({ convLayer: l, layerName: r.layerName, overlayRel: rel, rawMax: r.rawMax, regions });
    }
    const porePixels = p.pores ? p.pores.reduce((a, v) => a + v, 0) : 0;
    // The single view above is what the overlays explain; the figure a lab reads is the model's prediction of the
    // patch, made as predict makes it, with its interval and what the point is to the model (its fine-tune lineage included).
    const stored = rec.metrics as CnnMetrics | null;
    const calibration = modelCalibration(stored);
    const tta = await predictTta(model, [p.patch], arch.inputSize, arch.channels, hyper.targetScaling);
    const made = modelPointPrediction(stored?.blend, calibration, tta.mean[0], tta.sd[0], p.patch);
    const trainedImages = modelTrainedImages(ctx.db, rec.id);
    const sample = samplePointLabeller(trainedImages, predictedBillet(ctx.db, billetId, billet.imageHash, trainedImages))(p);
    return {
      modelId: rec.id, billetId, label, prediction,
      modelPrediction: { mean: made.mean, sd: tta.sd[0], interval: made.interval, sample },
      calibration, intervalWords: coverageWords(calibration), intervalPhrase: coveragePhrase(calibration),
      convLayers: n, patchRel: `${relDir}/patch.png`, porePixels, layers: out,
    };
  } finally {
    model.dispose();
  }
}

/**
 * The paper's region analysis: for each patch, mean Grad-CAM activation on dark (interdendritic) vs
 * light (dendrite core) pixels at one layer, then a one-sided Wilcoxon signed-rank test over patches.
 * Pore pixels (the section's detected pores) are in neither region: a black void would otherwise count as the
 * darkest "interdendritic" steel and, at the centre, dominate the test.
 */
export async function gradCamRegionTest(ctx: CnnContext, modelId: number, billetId: number, layer: number, labels?: string[]): Promise<RegionTest & { layer: number; labels: string[]; porePixels: number }> {
  const { arch, model, points } = await loadModelAndPoints(ctx, modelId, billetId);
  try {
    const chosen = labels?.length ? points.filter((p) => labels.includes(p.label)) : points.filter((p) => !p.lowQuality);
    if (chosen.length < 2) throw ApiError.said('failed_precondition', phrase('errors.cnn.regionTestPatches'));
    const per: RegionMeans[] = [];
    const used: string[] = [];
    let porePixels = 0;
    for (const p of chosen) {
      const r = await gradCamAsync(model, sampleOf(p, arch), layer);
      if (r.rawMax === 0) continue;
      per.push(regionMeans(r.cam, darkRegionMask(p.patch, undefined, p.pores), p.pores));
      used.push(p.label);
      porePixels += p.pores ? p.pores.reduce((a, v) => a + v, 0) : 0;
    }
    if (per.length < 2) throw ApiError.said('failed_precondition', phrase('errors.cnn.regionTestActivation', { layer }));
    return { ...regionWilcoxon(per), layer, labels: used, porePixels };
  } finally {
    model.dispose();
  }
}

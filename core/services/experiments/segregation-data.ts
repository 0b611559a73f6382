import type { Database } from 'better-sqlite3';
import { ApiError, refusalToApi } from '../../api/errors.js';
import { DEFAULT_CLAHE, type ClaheSettings } from '../../imaging/index.js';
import { createPointsRepo } from '../../store/repos/points-repo.js';
import { fingerprintOf, type CutPatch, type DatasetBillet, type DatasetPoint, type OpenedBillet } from '../../segregation/cnn/dataset.js';
import { randomPointSplits, assertDisjoint } from '../../segregation/cnn/splits.js';
import { DEFAULT_SPLITS } from '../../segregation/cnn/params.js';
import type { ModelScale } from '../../segregation/cnn/scale.js';
import type { ExperimentBudget, SegregationData, SegregationPoint } from '../../experiments/types.js';
import { phrase, type Phrase } from '../../api/phrase.js';

/**
 * The experiments' data from the store: every sampling point with readings of the chosen billets, its patch cut
 * at the CNN's physical scale (the model scale a new compact/paper CNN would get: its patch mm at the first
 * calibrated billet's mm/px, native pixels without one) both raw and after CLAHE, the shared seeded splits by
 * point (the CNN's own `randomPointSplits`), and the data's fingerprint (the CNN's, so a model trained on the same
 * billets at the same size has the same one).
 */

/** How the experiments read pixels: the sections service's methods of these names, handed over by the root. */
export interface ExperimentSections {
  openForModel(billetId: number, model: { inputSize: number; scale: ModelScale | null }, clahe: ClaheSettings | null | undefined): Promise<OpenedBillet>;
  defaultModelScale(billetIds: readonly number[], inputSize: number, patchMm?: number): ModelScale | null;
  patchesAt(s: OpenedBillet, points: readonly { label: string; xMm: number; yMm: number }[], signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<CutPatch[]>;
  billetName(billetId: number): string;
}

/**
 * Patch side (px): 32 px for the quick budget (the same steel, resampled: the architecture sweep's 11 networks ×
 * 2 splits and the ablations fit in minutes on a 2-core CPU; 6 and 7 conv blocks cannot pool a 32 px patch and
 * are refused with the reason), the paper's 224 px for full.
 */
export const PATCH_SIZE: Record<ExperimentBudget, number> = { quick: 32, full: 224 };
/** Splits by point: the CNN's default (5) for full; 3 for quick. */
export const SPLIT_COUNT: Record<ExperimentBudget, number> = { quick: 3, full: DEFAULT_SPLITS };

export async function loadSegregationData(
  db: Database,
  sections: ExperimentSections,
  billetIds: readonly number[],
  opts: { budget: ExperimentBudget; seed: number; signal?: AbortSignal; onProgress?: (f: number, m: string | Phrase) => void },
): Promise<SegregationData> {
  if (!billetIds.length) throw ApiError.said('invalid_argument', phrase('errors.cnn.noBillet'), { field: 'billetIds' });
  if (new Set(billetIds).size !== billetIds.length) throw ApiError.said('invalid_argument', phrase('errors.cnn.billetTwice'), { field: 'billetIds' });
  const size = PATCH_SIZE[opts.budget];
  const scale = sections.defaultModelScale(billetIds, size);
  const points: SegregationPoint[] = [];
  const dsPoints: DatasetPoint[] = [];
  const billets: DatasetBillet[] = [];
  const repo = createPointsRepo(db);
  for (let b = 0; b < billetIds.length; b++) {
    const id = billetIds[b];
    const name = sections.billetName(id);
    const pts = repo.list(id).filter((p) => p.meanWtPct !== null);
    if (!pts.length) throw ApiError.said('failed_precondition', phrase('errors.cnn.noReadings', { name }), { field: 'billetIds' });
    opts.onProgress?.(b / billetIds.length, phrase('jobs.experiments.patches', { name }));
    const raw = await sections.openForModel(id, { inputSize: size, scale }, null);
    const rawCut = await sections.patchesAt(raw, pts, opts.signal);
    const eq = await sections.openForModel(id, { inputSize: size, scale }, DEFAULT_CLAHE);
    const eqCut = await sections.patchesAt(eq, pts, opts.signal);
    billets.push(eq.billet);
    pts.forEach((p, i) => {
      points.push({ label: p.label, billetId: id, xMm: p.xMm, yMm: p.yMm, carbon: p.meanWtPct!, raw: rawCut[i].patch, clahe: eqCut[i].patch });
      dsPoints.push({ billetId: id, pointId: p.id, label: p.label, xMm: p.xMm, yMm: p.yMm, carbon: p.meanWtPct, ...eqCut[i] });
    });
  }
  let splits;
  try {
    splits = randomPointSplits(points.length, SPLIT_COUNT[opts.budget], opts.seed);
    splits.forEach(assertDisjoint);
  } catch (err) {
    throw refusalToApi('failed_precondition', err, { field: 'billetIds' });
  }
  const synthetic = billets.some((b) => b.synthetic);
  return {
    billets: billets.map((b) => ({ id: b.id, name: b.name, synthetic: b.synthetic })),
    size,
    points,
    splits,
    fingerprint: fingerprintOf(billets, dsPoints, DEFAULT_CLAHE, size),
    synthetic,
  };
}

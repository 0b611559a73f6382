import { scaleCheckPhrases } from '../../api/scale-check-words.js';
import type { AncestorOverlap, ModelDetail, ModelSummary, CnnMetrics, IntervalCalibration } from '../../api/methods/cnn.js';
import type { BackendInfo } from '../../api/methods/system.js';
import { ApiError } from '../../api/errors.js';
import type { ServiceContext } from '../context.js';
import { createModelsRepo, type ModelRecord } from '../../store/repos/models-repo.js';
import type { ArchitectureSpec } from '../../ml/architecture.js';
import { CNN_MODEL_KIND } from '../../segregation/cnn/params.js';
import { modelCalibration } from '../../segregation/cnn/calibration.js';
import { coveragePhrase, refitCoverageShort } from '../../ml/conformal.js';
import { scaleInfo } from './model-scale.js';
import { heldOutSummary } from '../../segregation/cnn/held-out-summary.js';
import { phrase } from '../../api/phrase.js';
import { english } from '../../runtime/english.js';
import { splitAncestorOverlap } from '../../segregation/cnn/sample-label.js';
import { modelLineage, ownTrainingData, trainedImagesOf, type StoredLineage } from '../shared/model-lineage.js';
import { trainingPointCounts, trainingPointsPhrase, withAncestorsPhrase } from '../../segregation/cnn/training-points.js';

/** How the contract describes stored carbon CNNs: summaries, details with lineage. */

/** The model's calibration with the refit warning the core words (the renderer only says it: it may not import core/ml). */
function describedCalibration(m: CnnMetrics | null): IntervalCalibration | null {
  const c = modelCalibration(m);
  return c ? { ...c, refitShortPhrase: refitCoverageShort(c) ? coveragePhrase(c) : null } : null;
}

/**
 * A model as the contract lists it. `lineage`: its ancestors' training data (modelLineage), so that a fine-tune's
 * training points say what its parent's weights had trained on before (absent: said of its own data only).
 */
export function modelSummary(r: ModelRecord, overlap?: AncestorOverlap | null, lineage?: StoredLineage): ModelSummary {
  const ds = (r.dataset ?? {}) as { billets?: { id: number; name: string }[]; points?: unknown[] };
  const m = r.metrics as CnnMetrics | null;
  const hyper = (r.hyper ?? {}) as { preset?: string };
  const backend = r.backend as BackendInfo | null;
  // what the stored weights trained on, not the dataset's count (a refit holds 10 % out to stop early)
  const counts = trainingPointCounts(ds.points?.length ?? 0, m?.final);
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    parentModelId: r.parentModelId,
    createdAt: r.createdAt,
    architecture: r.architecture as ArchitectureSpec,
    preset: hyper.preset ?? null,
    seed: r.seed,
    datasetFingerprint: r.datasetFingerprint,
    billets: (ds.billets ?? []).map((b) => ({ id: b.id, name: b.name })),
    pointCount: ds.points?.length ?? 0,
    trainingPoints: counts,
    trainingPointsPhrase: withAncestorsPhrase(
      trainingPointsPhrase(counts, ds.points?.length ?? 0, (ds.billets ?? []).map((b) => b.name).join(', ') || '—'),
      (lineage?.ancestors ?? []).map((a) => ({ id: a.id, name: a.name, trainPoints: a.trainPoints, billets: a.billets.map((b) => b.name) })),
      lineage?.complete ?? true,
    ),
    backend: backend?.name ?? null,
    ...(backend?.trainedBy ? { trainedBy: backend.trainedBy } : {}),
    heldOut: withOverlap(heldOutSummary(m), overlap ?? null),
    calibration: describedCalibration(m),
    synthetic: r.synthetic,
    scale: scaleInfo(r),
    scaleCheck: r.scaleCheck,
    scaleWords: scaleCheckPhrases(r.scaleCheck),
  };
}

/** The held-out summary with a fine-tune's split points its parent trained on counted (the list says them, task 27-N). */
function withOverlap(h: ReturnType<typeof heldOutSummary>, o: AncestorOverlap | null): ModelSummary['heldOut'] {
  if (!h) return null;
  return { ...h, ancestorOverlap: o && (o.inAncestors || o.unknown) ? { n: o.n, inAncestors: o.inAncestors, unknown: o.unknown } : null };
}

/** A listed model's summary: a fine-tune's ancestor overlap is counted (cheap: its lineage's stored points). */
export function listedModelSummary(ctx: ServiceContext, r: ModelRecord): ModelSummary {
  return modelSummary(r, r.parentModelId === null ? null : ancestorOverlapOf(ctx, r), modelLineage(ctx.db, r));
}

/** The model, refused when it is not a carbon CNN (`field` names the argument that chose it). */
export function cnnRecord(ctx: ServiceContext, id: number, field = 'id'): ModelRecord {
  const r = createModelsRepo(ctx.db).get(id);
  if (r.kind !== CNN_MODEL_KIND) throw ApiError.said('invalid_argument', phrase('errors.cnn.notCnn', { id: String(id) }), { field });
  return r;
}

function lineage(ctx: ServiceContext, r: ModelRecord): { id: number; name: string }[] {
  const repo = createModelsRepo(ctx.db);
  const out: { id: number; name: string }[] = [];
  let p = r.parentModelId;
  const seen = new Set<number>();
  while (p !== null && !seen.has(p)) {
    seen.add(p);
    try {
      const parent = repo.get(p);
      out.push({ id: parent.id, name: parent.name });
      p = parent.parentModelId;
    } catch {
      // the parent was deleted: the lineage ends here (a row keeps its parent id, not the parent)
      break;
    }
  }
  return out;
}

export function modelDetail(ctx: ServiceContext, id: number): ModelDetail {
  const r = cnnRecord(ctx, id);
  const m = (r.metrics as CnnMetrics | null) ?? null;
  const overlap = ancestorOverlapOf(ctx, r);
  return {
    ...modelSummary(r, overlap, modelLineage(ctx.db, r)),
    hyper: (r.hyper ?? {}) as Record<string, unknown>,
    backendInfo: (r.backend as BackendInfo | null) ?? null,
    dataset: (r.dataset ?? {}) as Record<string, unknown>,
    metrics: m ? { ...m, calibration: describedCalibration(m) } : null,
    lineage: lineage(ctx, r),
    ancestorOverlap: overlap,
  };
}

/**
 * A fine-tune's split test points that an ancestor trained on (task 27-G), with the words train output, the Train
 * view, the PDF's model card and `model show` say; null when there are none (or the model is no fine-tune).
 */
export function ancestorOverlapOf(ctx: ServiceContext, r: ModelRecord): AncestorOverlap | null {
  const l = modelLineage(ctx.db, r);
  if (!l.ancestors.length && l.complete) return null;
  const m = r.metrics as CnnMetrics | null;
  const own = ownTrainingData(r);
  const splits = splitAncestorOverlap(trainedImagesOf(l.ancestors, l.complete), own.billets, m?.splits ?? []);
  if (!splits.length) return null;
  const n = splits.reduce((a, s) => a + s.n, 0);
  const inAncestors = splits.reduce((a, s) => a + s.inAncestors, 0);
  const unknown = splits.reduce((a, s) => a + s.unknown, 0);
  const ancestors = l.ancestors.map((a) => ({ id: a.id, name: a.name }));
  const parent = ancestors.map((a) => `${a.name} (#${a.id})`).join(', ');
  const perSplit = splits.map((s) => `${s.name}: ${s.inAncestors}/${s.n}`).join('; ');
  const words = [
    ...(inAncestors ? [phrase('fineTune.heldOutInParent', { inParent: inAncestors, n, parent, perSplit })] : []),
    ...(unknown ? [phrase('fineTune.heldOutParentUnknown', { unknown, n })] : []),
  ];
  return { n, inAncestors, unknown, splits, ancestors, words, english: words.map((w) => english(w)).join(' ') };
}

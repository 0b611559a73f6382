import type { AppContext } from '../context.js';
import type { Handlers } from '../handler-types.js';
import { cnnMethods, type ModelDetail, type ModelSummary, type CnnMetrics } from '../../api/methods/cnn.js';
import type { BackendInfo } from '../../api/methods/system.js';
import { ApiError } from '../../api/errors.js';
import { createModelsRepo, assertModelName, type ModelRecord } from '../../store/repos/models-repo.js';
import { multiplyAdds, presetArchitecture, type ArchitectureSpec } from '../../ml/architecture.js';
import {
  CNN_MODEL_KIND,
  PRESET_HYPER,
  resolveTrainParams,
  startCnnTraining,
  predictBillet,
  gradCamForPoint,
  gradCamRegionTest,
  deleteModel,
  exportModel,
  importModel,
} from '../../segregation/cnn/index.js';

function summary(r: ModelRecord): ModelSummary {
  const ds = (r.dataset ?? {}) as { billets?: { id: number; name: string }[]; points?: unknown[] };
  const m = r.metrics as CnnMetrics | null;
  const hyper = (r.hyper ?? {}) as { preset?: string };
  const backend = r.backend as BackendInfo | null;
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
    backend: backend?.name ?? null,
    testR2: m?.summary?.test.r2 ?? null,
    testMae: m?.summary?.test.mae ?? null,
    synthetic: r.synthetic,
  };
}

function cnnRecord(ctx: AppContext, id: number): ModelRecord {
  const r = createModelsRepo(ctx.db).get(id);
  if (r.kind !== CNN_MODEL_KIND) throw new ApiError('invalid_argument', `Model ${id} is not a carbon CNN`, { field: 'id' });
  return r;
}

function lineage(ctx: AppContext, r: ModelRecord): { id: number; name: string }[] {
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

export const cnnHandlers: Handlers<keyof typeof cnnMethods> = {
  'cnn.presets': () =>
    (['compact', 'paper'] as const).map((name) => {
      const a = presetArchitecture(name);
      return { name, architecture: a, hyper: PRESET_HYPER[name], multiplyAdds: multiplyAdds(a), convLayers: a.blocks * a.convsPerBlock };
    }),
  'cnn.train': (args, ctx) => {
    for (const id of args.billetIds) ctx.repos.billets.get(id);
    if (args.baseModelId === undefined) {
      // Bad architecture/hyperparameters fail the call itself, not a job a minute later.
      try {
        resolveTrainParams({ ...args, preset: args.preset });
      } catch (err) {
        throw new ApiError('invalid_argument', err instanceof Error ? err.message : String(err), { field: 'architecture' });
      }
    } else {
      cnnRecord(ctx, args.baseModelId);
    }
    return startCnnTraining(ctx, { ...args, preset: args.preset });
  },
  'cnn.models.list': (_a, ctx) => createModelsRepo(ctx.db).list(CNN_MODEL_KIND).map(summary),
  'cnn.models.get': ({ id }, ctx): ModelDetail => {
    const r = cnnRecord(ctx, id);
    return {
      ...summary(r),
      hyper: (r.hyper ?? {}) as Record<string, unknown>,
      backendInfo: (r.backend as BackendInfo | null) ?? null,
      dataset: (r.dataset ?? {}) as Record<string, unknown>,
      metrics: (r.metrics as CnnMetrics | null) ?? null,
      lineage: lineage(ctx, r),
    };
  },
  'cnn.models.rename': ({ id, name }, ctx) => {
    cnnRecord(ctx, id);
    const r = createModelsRepo(ctx.db).rename(id, assertModelName(name));
    ctx.bus.emit({ type: 'data-changed', entity: 'model', id });
    return summary(r);
  },
  'cnn.models.delete': ({ id }, ctx) => {
    cnnRecord(ctx, id);
    deleteModel(ctx, id);
    return { deleted: true as const };
  },
  'cnn.models.export': ({ id }, ctx) => {
    cnnRecord(ctx, id);
    const r = exportModel(ctx, id);
    return { rel: r.rel!, bytes: r.bytes };
  },
  'cnn.models.import': ({ upload, name }, ctx) => summary(importModel(ctx, ctx.uploads.resolve(upload.uploadId), name)),
  'cnn.runs.list': (_a, ctx) =>
    createModelsRepo(ctx.db)
      .listRuns(CNN_MODEL_KIND)
      .map((r) => ({ id: r.id, state: r.state, modelId: r.modelId, seed: r.seed, startedAt: r.startedAt, finishedAt: r.finishedAt, interruptedAt: r.interruptedAt, error: r.error, params: r.params, history: r.history })),
  'cnn.predict': ({ modelId, billetId }, ctx) => {
    const rec = cnnRecord(ctx, modelId);
    const b = ctx.repos.billets.get(billetId);
    return ctx.jobs.start('cnn-predict', `Predict carbon on ${b.name} with “${rec.name}”`, (ctl) =>
      predictBillet(ctx, modelId, billetId, { signal: ctl.signal, onProgress: (f, m) => ctl.progress(f, m) }),
    );
  },
  'cnn.gradcam': ({ modelId, billetId, label, layers }, ctx) => gradCamForPoint(ctx, modelId, billetId, label, layers),
  'cnn.gradcamRegions': ({ modelId, billetId, layer, labels }, ctx) => {
    const a = cnnRecord(ctx, modelId).architecture as ArchitectureSpec;
    const n = a.blocks * a.convsPerBlock;
    if (layer > n) throw new ApiError('invalid_argument', `conv layer must be 1..${n}, got ${layer}`, { field: 'layer' });
    return gradCamRegionTest(ctx, modelId, billetId, layer, labels);
  },
};


import type { Handlers } from '../handler-types.js';
import type { cnnMethods } from '../../api/methods/cnn.js';
import { ApiError, refusalToApi } from '../../api/errors.js';
import { assertModelName } from '../../store/repos/models-repo.js';
import { multiplyAdds, presetArchitecture, type ArchitectureSpec } from '../../ml/architecture.js';
import { PRESET_HYPER, resolveTrainParams, splitNamePhrase } from '../../segregation/cnn/index.js';
import type { Phrase } from '../../api/phrase.js';
import { phrase } from '../../api/phrase.js';

/** The carbon CNN: adapters over the CNN service (core/services/cnn). */
export const cnnHandlers: Handlers<keyof typeof cnnMethods> = {
  'cnn.presets': () =>
    (['compact', 'paper'] as const).map((name) => {
      const a = presetArchitecture(name);
      return { name, architecture: a, hyper: PRESET_HYPER[name], multiplyAdds: multiplyAdds(a), convLayers: a.blocks * a.convsPerBlock };
    }),
  'cnn.trainWorkers': ({ workers }, ctx) => ctx.services.cnn.trainWorkers(workers),
  'cnn.train': (args, ctx) => {
    for (const id of args.billetIds) ctx.repos.billets.get(id);
    if (args.baseModelId === undefined) {
      // Bad architecture/hyperparameters fail the call itself, not a job a minute later.
      try {
        resolveTrainParams({ ...args, preset: args.preset });
      } catch (err) {
        throw refusalToApi('invalid_argument', err, { field: 'architecture' });
      }
    } else {
      ctx.services.cnn.models.record(args.baseModelId);
    }
    return ctx.services.cnn.train({ ...args, preset: args.preset });
  },
  'cnn.models.list': (_a, ctx) => ctx.services.cnn.models.list(),
  'cnn.models.get': ({ id }, ctx) => ctx.services.cnn.models.get(id),
  'cnn.models.rename': ({ id, name }, ctx) => {
    ctx.services.cnn.models.record(id);
    return ctx.services.cnn.models.rename(id, assertModelName(name));
  },
  'cnn.models.delete': ({ id }, ctx) => {
    ctx.services.cnn.models.record(id);
    ctx.services.cnn.models.delete(id);
    return { deleted: true as const };
  },
  'cnn.models.export': ({ id }, ctx) => {
    ctx.services.cnn.models.record(id);
    const r = ctx.services.cnn.models.export(id);
    return { rel: r.rel!, bytes: r.bytes };
  },
  'cnn.models.import': ({ upload, name }, ctx) => ctx.services.cnn.models.import(ctx.uploads.resolve(upload.uploadId), name),
  'cnn.runs.list': (_a, ctx) =>
    ctx.services.cnn.models
      .runs()
      .map((r) => ({ id: r.id, state: r.state, modelId: r.modelId, seed: r.seed, startedAt: r.startedAt, finishedAt: r.finishedAt, interruptedAt: r.interruptedAt, error: r.error, ...(r.errorPhrase ? { errorPhrase: r.errorPhrase } : {}), params: r.params, history: r.history, curvePhrases: curvePhrases(r.history) })),
  'cnn.predict': ({ modelId, billetId }, ctx) => {
    const rec = ctx.services.cnn.models.record(modelId);
    const b = ctx.repos.billets.get(billetId);
    return ctx.jobs.start('cnn-predict', phrase('jobs.cnn.predictLabel', { name: b.name, model: rec.name }), (ctl) =>
      ctx.services.cnn.predict(modelId, billetId, { signal: ctl.signal, onProgress: (f, m) => ctl.progress(f, m) }),
    );
  },
  'cnn.gradcam': ({ modelId, billetId, label, layers }, ctx) => ctx.services.cnn.gradCam(modelId, billetId, label, layers),
  'cnn.gradcamRegions': ({ modelId, billetId, layer, labels }, ctx) => {
    const a = ctx.services.cnn.models.record(modelId).architecture as ArchitectureSpec;
    const n = a.blocks * a.convsPerBlock;
    if (layer > n) throw ApiError.said('invalid_argument', phrase('errors.cnn.convLayer', { n, layer }), { field: 'layer' });
    return ctx.services.cnn.gradCamRegions(modelId, billetId, layer, labels);
  },
};

/** The phrase of each epoch curve a run stored under its split's English name (names the training did not make are left out). */
function curvePhrases(history: unknown): Record<string, Phrase> {
  const out: Record<string, Phrase> = {};
  if (history && typeof history === 'object') {
    for (const name of Object.keys(history)) {
      const p = splitNamePhrase(name);
      if (p) out[name] = p;
    }
  }
  return out;
}

import type { Handlers } from '../handler-types.js';
import type { jominyMethods } from '../../api/methods/jominy.js';
import type { jominyGradeMethods } from '../../api/methods/jominy-grades.js';
import type { AppContext } from '../context.js';

const svc = (ctx: AppContext) => ctx.services.jominy;

/** The jominy.* contract on the Jominy service (core/services/jominy): arguments in, results out, nothing else. */
export const jominyHandlers: Handlers<keyof typeof jominyMethods | keyof typeof jominyGradeMethods> = {
  'jominy.meta': (_a, ctx) => svc(ctx).meta(),
  'jominy.datasets.list': (_a, ctx) => svc(ctx).datasets.list(),
  'jominy.datasets.get': ({ id }, ctx) => svc(ctx).datasets.get(id),
  'jominy.datasets.samples': ({ id, offset, limit, grade }, ctx) => svc(ctx).datasets.samples(id, offset, limit, grade),
  'jominy.datasets.previewCsv': ({ upload, distanceUnit, missing, decimalMark, minElementShare, belowScale }, ctx) => svc(ctx).datasets.previewCsv(upload, { distanceUnit, missing, decimalMark, minElementShare, belowScale }),
  'jominy.datasets.import': ({ upload, name, distanceUnit, missing, decimalMark, belowScale }, ctx) => svc(ctx).datasets.importCsv(upload, name, { distanceUnit, missing, decimalMark, belowScale }),
  'jominy.datasets.synth': (args, ctx) => svc(ctx).datasets.synth(args),
  'jominy.datasets.grades': ({ id, grade }, ctx) => svc(ctx).datasets.grades(id, grade),
  'jominy.datasets.coverage': ({ id }, ctx) => svc(ctx).datasets.coverage(id),
  'jominy.datasets.delete': ({ id }, ctx) => svc(ctx).datasets.remove(id),

  'jominy.models.list': (_a, ctx) => svc(ctx).predictors.list(),
  'jominy.models.get': ({ id }, ctx) => svc(ctx).predictors.get(id),
  'jominy.models.train': (args, ctx) => svc(ctx).predictors.train(args),
  'jominy.models.delete': ({ id }, ctx) => svc(ctx).predictors.remove(id),
  'jominy.predict': ({ modelId, chemistry }, ctx) => svc(ctx).predict(modelId, chemistry),
  'jominy.reference': ({ chemistry }, ctx) => svc(ctx).reference(chemistry),

  'jominy.design': (args, ctx) => svc(ctx).design(args),
  'jominy.sessions.list': (_a, ctx) => svc(ctx).sessions.list(),
  'jominy.sessions.get': ({ id }, ctx) => svc(ctx).sessions.get(id),
  'jominy.sessions.rename': ({ id, name }, ctx) => svc(ctx).sessions.rename(id, name),
  'jominy.sessions.duplicate': ({ id, name }, ctx) => svc(ctx).sessions.duplicate(id, name),
  'jominy.sessions.delete': ({ id }, ctx) => svc(ctx).sessions.remove(id),
  'jominy.sessions.export': ({ id, format }, ctx) => svc(ctx).sessions.export(id, format),

  'jominy.evaluate': (args, ctx) => svc(ctx).evaluations.evaluate(args),
  'jominy.evaluations.list': (_a, ctx) => svc(ctx).evaluations.list(),
  'jominy.evaluations.get': ({ id }, ctx) => svc(ctx).evaluations.get(id),

  'jominy.grades.list': (_a, ctx) => svc(ctx).grades.list(),
  'jominy.grades.create': (args, ctx) => svc(ctx).grades.create(args),
  'jominy.grades.update': (args, ctx) => svc(ctx).grades.update(args),
  'jominy.grades.delete': ({ id }, ctx) => svc(ctx).grades.remove(id),
};

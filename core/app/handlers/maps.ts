import type { Handlers } from '../handler-types.js';
import type { mapMethods } from '../../api/methods/maps.js';

/** Maps and reports: adapters over the maps and reports services (core/services/maps, core/services/reports). */
export const mapHandlers: Handlers<keyof typeof mapMethods> = {
  'maps.render': (args, ctx) => ctx.services.maps.render(args),
  'maps.predict': (args, ctx) => ctx.services.maps.predict(args),
  'maps.predictions': ({ billetId }, ctx) => ctx.services.maps.predictions(billetId),
  'maps.exportCsv': (args, ctx) => ctx.services.maps.exportCsv(args),
  'maps.report': (args, ctx) => ctx.services.reports.mapReport(args),
  'reports.list': ({ billetId }, ctx) => ctx.services.reports.list(billetId),
  'reports.get': ({ id }, ctx) => ctx.services.reports.get(id),
};

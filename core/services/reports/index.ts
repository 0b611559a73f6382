import type { ServiceContext } from '../context.js';
import type { ParsedInput } from '../../api/contract.js';
import { createReportsRepo } from '../../store/repos/reports-repo.js';
import { mapReport, type DescribeModel } from './map-report.js';
import type { MapLayers } from '../shared/map-layer.js';
import type { PoreSummary } from '../../api/methods/images.js';

export interface ReportsDeps {
  /** The CNN service's model description (the report's model card). */
  describeModel: DescribeModel;
  /** The maps service's layer builder. */
  layers: MapLayers;
  /** The sections service's stored pore summary of a billet (never computes). */
  poreSummary: (billetId: number) => PoreSummary;
}

/** Stored reports: the segregation-map PDF and the list/detail of what was written. */
export function createReportsService(ctx: ServiceContext, deps: ReportsDeps) {
  return {
    mapReport: (args: ParsedInput<'maps.report'>) => mapReport(ctx, deps, args),
    list: (billetId?: number) => createReportsRepo(ctx.db, ctx.paths.root).list(billetId),
    get: (id: number) => createReportsRepo(ctx.db, ctx.paths.root).get(id),
  };
}
export type ReportsService = ReturnType<typeof createReportsService>;

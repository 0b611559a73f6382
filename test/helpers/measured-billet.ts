import type { AppContext } from '../../core/app/context.js';
import { layoutPoints } from '../../core/segregation/index.js';
import { createPointsRepo } from '../../core/store/repos/points-repo.js';
import { createReadingsRepo } from '../../core/store/repos/readings-repo.js';

/**
 * A 300 mm billet 'B-300' (42CrMo4, heat H-1, C0 0.42) with the 85-point layout and a reading at every point that
 * rises left to right (0.42 + 0.0001·(x + 150) wt.%): enough for a measured map, no section image. Returns its id.
 */
export function measuredBillet(ctx: AppContext): number {
  const b = ctx.repos.billets.create({ name: 'B-300', steelGrade: '42CrMo4', heat: 'H-1', nominalDiameterMm: 300, bulkCarbonWtPct: 0.42 });
  const pts = layoutPoints({ diameterMm: 300 });
  createPointsRepo(ctx.db).replaceAll(b.id, pts, 'layout:hex85', false);
  const rd = createReadingsRepo(ctx.db);
  for (const p of pts) rd.setValues(b.id, p.label, [Number((0.42 + 0.0001 * (p.xMm + 150)).toFixed(4))]);
  return b.id;
}

import { afterAll, beforeAll } from 'vitest';
import { createAppContext, type AppContext } from '../../core/app/context.js';
import { tempDir } from './temp.js';
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

/**
 * A data folder opened as the CLI opens it, holding one measuredBillet(), for the describe block it is called in
 * (opened before its tests, closed and removed after them). A test may close `ctx` itself to hand the folder to a
 * CLI run.
 */
export function measuredBilletSession(): { readonly dir: string; readonly ctx: AppContext; readonly billetId: number } {
  const { dir, cleanup } = tempDir();
  let ctx: AppContext | undefined;
  let billetId = 0;
  beforeAll(() => {
    ctx = createAppContext({ dataDir: dir, shell: 'cli', backend: 'wasm' });
    billetId = measuredBillet(ctx);
  });
  afterAll(async () => {
    await ctx?.close().catch(() => undefined);
    cleanup();
  });
  return {
    dir,
    get ctx() {
      if (!ctx) throw new Error('measuredBilletSession: used outside its describe block');
      return ctx;
    },
    get billetId() {
      return billetId;
    },
  };
}

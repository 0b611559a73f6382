import type { ServiceContext } from '../context.js';
import type { PointsList } from '../../api/methods/segregation.js';
import { ApiError } from '../../api/errors.js';
import { createPointsRepo, type EditedPoint } from '../../store/repos/points-repo.js';
import { layoutPoints, type LayoutPattern } from '../../segregation/index.js';
import type { Phrase } from '../../api/phrase.js';

/** Sampling points of a billet: the list with readings, a generated layout, an edited set, one moved point. */
export function createSamplingService(ctx: ServiceContext) {
  const points = () => createPointsRepo(ctx.db);
  const changed = (billetId: number) => {
    ctx.bus.emit({ type: 'data-changed', entity: 'points', id: billetId });
    ctx.bus.emit({ type: 'data-changed', entity: 'billet', id: billetId });
  };
  const list = (billetId: number): PointsList => {
    const b = ctx.repos.billets.get(billetId);
    return { billetId, billetName: b.name, nominalDiameterMm: b.nominalDiameterMm, synthetic: b.synthetic, points: points().list(billetId) };
  };
  return {
    list,
    layout(args: { billetId: number; pattern: LayoutPattern; count?: number; marginMm?: number; confirmReplace: boolean }): PointsList {
      const { billetId, pattern, count, marginMm, confirmReplace } = args;
      const b = ctx.repos.billets.get(billetId);
      let pts;
      try {
        pts = layoutPoints({ pattern, diameterMm: b.nominalDiameterMm, marginMm, count });
      } catch (err) {
        // the layout module refuses impossible counts/margins with a RangeError: the user's input, answered
        if (err instanceof RangeError) throw new ApiError('invalid_argument', err.message, { phrase: (err as RangeError & { phrase?: Phrase }).phrase });
        throw err;
      }
      points().replaceAll(billetId, pts, `layout:${pattern}`, confirmReplace);
      changed(billetId);
      return list(billetId);
    },
    save(billetId: number, pts: readonly EditedPoint[], confirmDeleteReadings: boolean): PointsList {
      ctx.repos.billets.get(billetId);
      points().saveSet(billetId, pts, confirmDeleteReadings);
      changed(billetId);
      return list(billetId);
    },
    /** Renames and/or moves one point: one row written. */
    patch(billetId: number, label: string, set: { label?: string; xMm?: number; yMm?: number }) {
      ctx.repos.billets.get(billetId);
      const p = points().patch(billetId, label, set);
      changed(billetId);
      return p;
    },
    /** Moves one point: one row written (dragging a point must not rewrite all 85). */
    move(billetId: number, label: string, xMm: number, yMm: number) {
      ctx.repos.billets.get(billetId);
      const p = points().move(billetId, label, xMm, yMm);
      changed(billetId);
      return p;
    },
  };
}
export type SamplingService = ReturnType<typeof createSamplingService>;
